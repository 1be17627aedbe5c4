package dev.newstape.flink;

import dev.newstape.flink.model.Trade;
import java.nio.charset.StandardCharsets;

/**
 * The fast path of {@link Codec#parseTrade}: a hand-written scan over the bytes of the common, well-formed trade
 * (ASCII strings without escapes, plain decimal numbers, scalar unknown fields) that allocates only the trade and
 * its strings. It returns {@code null} for anything outside that subset and for anything the rules would reject
 * (wrong type, null, duplicate field, missing or invalid required field), so that {@link Codec} then runs the
 * Jackson parser, whose result and error message are the reference. Hence, by construction, the trade returned
 * here equals what the Jackson path returns for the same bytes; CodecTest checks that differentially.
 *
 * <p>Numbers: a JSON integer of at most 18 digits is converted as Jackson does ({@code (double) long}); a decimal
 * fraction with at most 15 significant digits and 22 decimals is {@code m / 10^k}, both operands exact, so IEEE
 * division gives the correctly rounded value that {@link Double#parseDouble} gives. Exponents and longer numbers
 * take the Jackson path.
 */
final class TradeFastPath {
  private TradeFastPath() {}

  private static final double[] POW10 = new double[23];

  static {
    double p = 1;
    for (int i = 0; i < POW10.length; i++) {
      POW10[i] = p;
      p *= 10;
    }
  }

  private static final int[] EMPTY = new int[0];
  private static final int MAX_STRING = 65_536;

  // Bits of the known fields, to refuse duplicates (Jackson keeps the last; the reference path handles that).
  private static final int SYMBOL = 1, PRICE = 2, SIZE = 4, TS = 8, SEQ = 16, EXCHANGE = 32, TAPE = 64, ID = 128,
      CONDITIONS = 256, PT = 512, TRFI = 1024, TRFT = 2048;

  /** Scan state: position in the bytes, and the number just read. */
  private static final class Cursor {
    final byte[] b;
    int i;
    double num;
    boolean integral;
    long longValue;

    Cursor(byte[] b) {
      this.b = b;
    }
  }

  /** The trade, or null when the Jackson path must decide. */
  static Trade parse(byte[] b) {
    if (b == null) return null;
    Cursor c = new Cursor(b);
    try {
      return scan(c);
    } catch (ArrayIndexOutOfBoundsException e) {
      return null; // truncated input: the reference path says why
    }
  }

  private static boolean ws(byte x) {
    return x == ' ' || x == '\n' || x == '\r' || x == '\t';
  }

  private static void skipWs(Cursor c) {
    while (c.i < c.b.length && ws(c.b[c.i])) c.i++;
  }

  private static Trade scan(Cursor c) {
    byte[] b = c.b;
    skipWs(c);
    if (b[c.i] != '{') return null;
    c.i++;
    skipWs(c);
    Trade t = new Trade();
    int seen = 0;
    if (b[c.i] != '}') {
      while (true) {
        if (b[c.i] != '"') return null;
        int nameStart = ++c.i;
        int nameEnd = stringEnd(c);
        if (nameEnd < 0) return null;
        skipWs(c);
        if (b[c.i] != ':') return null;
        c.i++;
        skipWs(c);
        int field = field(b, nameStart, nameEnd - nameStart);
        if ((seen & field) != 0) return null;
        seen |= field;
        switch (field) {
          case SYMBOL -> {
            t.symbol = string(c);
            if (t.symbol == null) return null;
          }
          case ID -> {
            t.id = string(c);
            if (t.id == null) return null;
          }
          case PRICE -> {
            if (!number(c)) return null;
            t.price = c.num;
          }
          case SIZE -> {
            if (!number(c)) return null;
            t.size = c.num;
          }
          case TS -> {
            if (!number(c) || !epochMs(c.num)) return null;
            t.ts = (long) c.num;
          }
          case SEQ -> {
            if (!number(c) || !epochMs(c.num)) return null;
            t.seq = (long) c.num;
          }
          case EXCHANGE -> {
            if (!number(c) || c.num != Math.rint(c.num)) return null;
            t.exchange = (int) c.num;
          }
          case TAPE -> {
            if (!number(c) || c.num != Math.rint(c.num)) return null;
            t.tape = (int) c.num;
          }
          case CONDITIONS -> {
            t.conditions = conditions(c);
            if (t.conditions == null) return null;
          }
          // trade/v2: numbers only here (a null goes to the reference path, which reads it as absent).
          case PT -> {
            if (!number(c) || !epochMs(c.num)) return null;
            t.pt = (long) c.num;
          }
          case TRFI -> {
            if (!number(c) || c.num != Math.rint(c.num)) return null;
            t.trfi = (int) c.num;
          }
          case TRFT -> {
            if (!number(c) || !epochMs(c.num)) return null;
            t.trft = (long) c.num;
          }
          default -> {
            if (!skipScalar(c)) return null;
          }
        }
        skipWs(c);
        byte x = b[c.i++];
        if (x == '}') break;
        if (x != ',') return null;
        skipWs(c);
      }
    }
    // Whatever follows the object is not read, as in the Jackson path. Everything the rules reject goes there too.
    if ((seen & (SYMBOL | PRICE | SIZE | TS | SEQ)) != (SYMBOL | PRICE | SIZE | TS | SEQ)) return null;
    if (t.symbol.isEmpty() || !(t.price > 0) || t.size < 0) return null;
    return t;
  }

  private static boolean epochMs(double d) {
    return d == Math.rint(d) && d >= 0 && d <= 8.64e15;
  }

  /** Known field bit for the name bytes, 0 for any other name. */
  private static int field(byte[] b, int at, int len) {
    switch (len) {
      case 2:
        if (b[at] == 'i' && b[at + 1] == 'd') return ID;
        if (b[at] == 't' && b[at + 1] == 's') return TS;
        if (b[at] == 'p' && b[at + 1] == 't') return PT;
        return 0;
      case 3:
        return is(b, at, "seq") ? SEQ : 0;
      case 4:
        if (is(b, at, "size")) return SIZE;
        if (is(b, at, "tape")) return TAPE;
        if (is(b, at, "trfi")) return TRFI;
        if (is(b, at, "trft")) return TRFT;
        return 0;
      case 5:
        return is(b, at, "price") ? PRICE : 0;
      case 6:
        return is(b, at, "symbol") ? SYMBOL : 0;
      case 8:
        return is(b, at, "exchange") ? EXCHANGE : 0;
      case 10:
        return is(b, at, "conditions") ? CONDITIONS : 0;
      default:
        return 0;
    }
  }

  private static boolean is(byte[] b, int at, String name) {
    for (int k = 0; k < name.length(); k++) if (b[at + k] != name.charAt(k)) return false;
    return true;
  }

  /**
   * With c.i just past an opening quote: moves past the closing quote and returns its index, or -1 for anything
   * but printable ASCII without escapes (or a very long string).
   */
  private static int stringEnd(Cursor c) {
    byte[] b = c.b;
    int start = c.i;
    while (true) {
      byte x = b[c.i];
      if (x == '"') break;
      if (x < 0x20 || x == '\\' || c.i - start > MAX_STRING) return -1; // bytes >= 0x80 are negative
      c.i++;
    }
    return c.i++;
  }

  private static String string(Cursor c) {
    if (c.b[c.i] != '"') return null;
    int start = ++c.i;
    int end = stringEnd(c);
    return end < 0 ? null : new String(c.b, start, end - start, StandardCharsets.ISO_8859_1);
  }

  private static boolean delimiter(byte x) {
    return x == ',' || x == '}' || x == ']' || ws(x);
  }

  /**
   * A JSON number in plain notation into c.num (and c.integral, c.longValue); false for anything else, including
   * exponents, leading zeros and numbers too long for the exact conversions.
   */
  private static boolean number(Cursor c) {
    byte[] b = c.b;
    int i = c.i;
    boolean neg = b[i] == '-';
    if (neg) i++;
    int intStart = i;
    long m = 0;
    while (b[i] >= '0' && b[i] <= '9') m = m * 10 + (b[i++] - '0');
    int intDigits = i - intStart;
    if (intDigits == 0 || (intDigits > 1 && b[intStart] == '0')) return false;
    if (b[i] == '.') {
      int fracStart = ++i;
      while (b[i] >= '0' && b[i] <= '9') m = m * 10 + (b[i++] - '0');
      int fracDigits = i - fracStart;
      // Significant digits bound: leading zeros of the integer part count too, which only makes the test stricter.
      if (fracDigits == 0 || fracDigits > 22 || intDigits + fracDigits > 15 || !delimiter(b[i])) return false;
      double v = m / POW10[fracDigits];
      c.num = neg ? -v : v;
      c.integral = false;
    } else {
      if (intDigits > 18 || !delimiter(b[i])) return false;
      long v = neg ? -m : m;
      c.num = (double) v;
      c.integral = true;
      c.longValue = v;
    }
    c.i = i;
    return true;
  }

  private static int[] conditions(Cursor c) {
    byte[] b = c.b;
    if (b[c.i] != '[') return null;
    c.i++;
    skipWs(c);
    if (b[c.i] == ']') {
      c.i++;
      return EMPTY;
    }
    int[] out = new int[4];
    int n = 0;
    while (true) {
      int start = c.i;
      if (!number(c) || !c.integral || c.i - start > 10 || c.longValue > Integer.MAX_VALUE
          || c.longValue < Integer.MIN_VALUE) return null;
      if (n == out.length) out = java.util.Arrays.copyOf(out, n * 2);
      out[n++] = (int) c.longValue;
      skipWs(c);
      byte x = b[c.i++];
      if (x == ']') break;
      if (x != ',') return null;
      skipWs(c);
    }
    return n == out.length ? out : java.util.Arrays.copyOf(out, n);
  }

  /** A string, number, true, false or null value of a field the trade does not use; false for anything else. */
  private static boolean skipScalar(Cursor c) {
    byte[] b = c.b;
    byte x = b[c.i];
    if (x == '"') {
      c.i++;
      return stringEnd(c) >= 0;
    }
    if (x == '-' || (x >= '0' && x <= '9')) return number(c);
    String word = x == 't' ? "true" : x == 'f' ? "false" : x == 'n' ? "null" : null;
    if (word == null || !is(b, c.i, word) || !delimiter(b[c.i + word.length()])) return false;
    c.i += word.length();
    return true;
  }
}

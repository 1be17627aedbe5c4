package dev.newstape.flink.v2;

import java.io.Serializable;

/**
 * Move alerts of one symbol S ≠ M (docs/impact-v2.md "Move alerts", "Confirmation"): fed S's eligible prints in
 * order; the state restarts with each ET trading day. Evaluation reads the {@link Market}, which must already hold
 * every print with ts ≤ the evaluated one (the streaming operator feeds it at the watermark).
 */
public final class MoveDetector implements Serializable {
  private static final long serialVersionUID = 1L;
  static final long MIN = Eastern.MIN;
  static final long QUIET = 5 * MIN;
  static final long SILENCE = 5 * MIN;
  static final long CONFIRM = 1_000;

  public final String symbol;
  long day = Long.MIN_VALUE;
  long lastTs = Long.MIN_VALUE;
  long quietEnd = Long.MIN_VALUE;
  final Confirmation run = new Confirmation();
  long silentUntil = Long.MIN_VALUE;
  int silentDir;

  public MoveDetector(String symbol) {
    this.symbol = symbol;
  }

  /** One eligible print of S at {@code t}; the alert when one is emitted, else null. */
  public V2.MoveAlert onPrint(Market m, long t) {
    long d = Eastern.day(t);
    if (d != day) {
      day = d;
      lastTs = Long.MIN_VALUE;
      quietEnd = Long.MIN_VALUE;
      run.reset();
      silentUntil = Long.MIN_VALUE;
      silentDir = 0;
    }
    if (lastTs == Long.MIN_VALUE || t - lastTs >= QUIET) quietEnd = t;
    lastTs = t;
    V2.MoveAlert eval = evaluate(m, t);
    int dir = eval == null ? 0 : eval.size > 0 ? 1 : -1;
    if (!run.step(dir, t)) return null;
    if (t < silentUntil && dir == silentDir) return null; // same direction during silence: swallowed
    silentUntil = t + SILENCE;
    silentDir = dir;
    return eval;
  }

  /** The rule at print t: the would-be alert when it holds, null when it fails or cannot be evaluated. */
  V2.MoveAlert evaluate(Market m, long t) {
    long u = t - MIN;
    Series s = m.eligible(symbol);
    if (s == null || s.countIn(u - MIN - 1, u) == 0) return null;
    long start = Eastern.sessionStart(t);
    if (start == Long.MIN_VALUE || u < start || u < quietEnd) return null;
    if (!m.covered(symbol, u - MIN, t)) return null;
    double beta = m.beta(symbol, Eastern.day(t));
    double su = m.px(symbol, u);
    double move = m.move(symbol, su, m.px(m.settings.proxy(), u), t, beta);
    if (Double.isNaN(move)) return null;
    // Sigma, when there is one, is at least the floor and one cent (Market.sigma): a move below Zm times those fails
    // whatever the realised part is, so most prints need not look up sigma's 62 prices.
    Double floor = m.floor(symbol, Eastern.day(u));
    double least = Math.max(floor == null ? Double.NEGATIVE_INFINITY : floor, 0.01 / su);
    if (!(Math.abs(move) >= m.settings.zMove() * least)) return null;
    if (sig == null) sig = new double[3];
    double sigma = m.sigma(symbol, u, sig, true);
    if (Double.isNaN(sigma) || !(Math.abs(move) >= m.settings.zMove() * sigma)) return null;
    double[] a = m.abnormal(symbol, u, t, beta); // the same move, and whether it was adjusted
    V2.MoveAlert r = new V2.MoveAlert();
    r.id = symbol + "|" + t;
    r.symbol = symbol;
    r.windowStart = u;
    r.detectedAt = t;
    r.direction = a[0] > 0 ? "up" : "down";
    r.size = a[0];
    r.z = a[0] / sigma;
    r.sigma = sigma;
    r.beta = beta;
    r.adjusted = a[1] == 1;
    r.price = m.price(symbol, t);
    r.proxy = m.settings.proxy();
    r.zMove = m.settings.zMove();
    return r;
  }

  /** Scratch for sigma's three values (not state). */
  private transient double[] sig;

  /**
   * A run of consecutive evaluations holding with one sign; it fires once, at the first print at least 1 s after
   * the run's start.
   */
  public static final class Confirmation implements Serializable {
    private static final long serialVersionUID = 1L;
    int dir;
    long start;
    boolean fired;

    void reset() {
      dir = 0;
      fired = false;
    }

    /** {@code d}: +1/−1 when the rule holds with that sign, 0 otherwise. Returns true when the run fires here. */
    public boolean step(int d, long t) {
      if (d == 0) {
        dir = 0;
        return false;
      }
      if (d != dir) {
        dir = d;
        start = t;
        fired = false;
      }
      if (!fired && t - start >= CONFIRM) {
        fired = true;
        return true;
      }
      return false;
    }
  }
}

package dev.newstape.flink.v2;

import java.text.Normalizer;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Headline words for staleness (docs/impact-v2.md "Stale"): NFKC, lower case, runs of letters and decimal digits. */
public final class Words {
  private Words() {}

  public static Set<String> of(String title) {
    String s = Normalizer.normalize(title == null ? "" : title, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    Set<String> out = new HashSet<>();
    StringBuilder w = new StringBuilder();
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isLetter(cp) || Character.getType(cp) == Character.DECIMAL_DIGIT_NUMBER) {
        w.appendCodePoint(cp);
      } else if (w.length() > 0) {
        out.add(w.toString());
        w.setLength(0);
      }
    }
    if (w.length() > 0) out.add(w.toString());
    return out;
  }

  /** Jaccard ≥ 0.6 in integers: 10·|A∩B| ≥ 6·|A∪B|; two empty sets are not similar. */
  public static boolean similar(Set<String> a, Set<String> b) {
    if (a.isEmpty() && b.isEmpty()) return false;
    int inter = 0;
    for (String w : a) if (b.contains(w)) inter++;
    int union = a.size() + b.size() - inter;
    return 10L * inter >= 6L * union;
  }

  /** Whether {@code title} is similar to any of the candidates' titles. */
  public static boolean staleAgainst(String title, List<String> candidates) {
    Set<String> a = of(title);
    for (String c : candidates) if (similar(a, of(c))) return true;
    return false;
  }
}

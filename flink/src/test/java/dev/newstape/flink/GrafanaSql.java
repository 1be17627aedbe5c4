package dev.newstape.flink;

import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Grafana's PostgreSQL macros and variables, expanded the way scripts/stack/grafana-macros.ts does, for the ones
 * the v2 dashboard uses; anything else is refused so a panel cannot carry a query this test did not run.
 */
final class GrafanaSql {
  private GrafanaSql() {}

  static String iso(long ms) {
    return Instant.ofEpochMilli(ms).toString().replace(".000Z", "Z");
  }

  static String expand(String sql, long from, long to, Map<String, String> vars) {
    String out = sql.replaceAll("\\$__timeFilter\\(([^)]+)\\)", "$1 BETWEEN '" + iso(from) + "' AND '" + iso(to) + "'")
        .replace("$__timeFrom()", "'" + iso(from) + "'")
        .replace("$__timeTo()", "'" + iso(to) + "'");
    Matcher m = Pattern.compile("\\$__\\w+").matcher(out);
    if (m.find()) throw new IllegalArgumentException("unknown macro " + m.group());
    StringBuilder b = new StringBuilder();
    Matcher v = Pattern.compile("\\$\\{(\\w+)}|\\[\\[(\\w+)]]|\\$(\\w+)").matcher(out);
    while (v.find()) {
      String name = v.group(1) != null ? v.group(1) : v.group(2) != null ? v.group(2) : v.group(3);
      String value = vars.get(name);
      if (value == null) throw new IllegalArgumentException("unknown variable $" + name);
      v.appendReplacement(b, Matcher.quoteReplacement(value));
    }
    v.appendTail(b);
    return b.toString();
  }
}

package dev.newstape.flink.v2;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * New York time for the v2 definition (docs/impact-v2.md): trading day = ET calendar date, sessions pre
 * [04:00, 09:30), regular [09:30, 16:00), post [16:00, 20:00). The hot path (one call per print) reuses the bounds
 * of the last 24-hour day it saw; days with a DST change take the full java.time route.
 */
public final class Eastern {
  private Eastern() {}

  public static final ZoneId NY = ZoneId.of("America/New_York");
  public static final long MIN = 60_000L;
  public static final int NONE = 0, PRE = 1, REGULAR = 2, POST = 3;
  static final long PRE_START = 240 * MIN, REG_START = 570 * MIN, POST_START = 960 * MIN, POST_END = 1200 * MIN;

  /** [dayStartUtc, nextDayStartUtc, epochDay] of the last plain (24 h) day looked up, per thread. */
  private static final ThreadLocal<long[]> CACHE = ThreadLocal.withInitial(() -> new long[] {1, 0, 0});

  private static long[] plainDay(long ts) {
    long[] c = CACHE.get();
    if (ts >= c[0] && ts < c[1]) return c;
    LocalDate d = Instant.ofEpochMilli(ts).atZone(NY).toLocalDate();
    long start = d.atStartOfDay(NY).toInstant().toEpochMilli();
    long next = d.plusDays(1).atStartOfDay(NY).toInstant().toEpochMilli();
    if (next - start != 86_400_000L) return null;
    c[0] = start;
    c[1] = next;
    c[2] = d.toEpochDay();
    return c;
  }

  /** The ET calendar date of {@code ts} as an epoch day (the trading day). */
  public static long day(long ts) {
    long[] c = plainDay(ts);
    return c != null ? c[2] : Instant.ofEpochMilli(ts).atZone(NY).toLocalDate().toEpochDay();
  }

  /** Wall-clock milliseconds since ET midnight. */
  public static long msOfDay(long ts) {
    long[] c = plainDay(ts);
    if (c != null) return ts - c[0];
    ZonedDateTime z = Instant.ofEpochMilli(ts).atZone(NY);
    return z.toLocalTime().toNanoOfDay() / 1_000_000L;
  }

  /** The instant the ET wall clock shows {@code ms} after midnight of {@code epochDay} (gap: later, overlap: earlier). */
  public static long wall(long epochDay, long ms) {
    LocalDateTime ldt = LocalDateTime.of(LocalDate.ofEpochDay(epochDay), LocalTime.MIDNIGHT).plusNanos(ms * 1_000_000L);
    return ldt.atZone(NY).toInstant().toEpochMilli();
  }

  public static int session(long ts) {
    long m = msOfDay(ts);
    if (m < PRE_START || m >= POST_END) return NONE;
    if (m < REG_START) return PRE;
    return m < POST_START ? REGULAR : POST;
  }

  /** Start of the session {@code ts} is in, on its ET date; {@code Long.MIN_VALUE} outside every session. */
  public static long sessionStart(long ts) {
    return switch (session(ts)) {
      case PRE -> wall(day(ts), PRE_START);
      case REGULAR -> wall(day(ts), REG_START);
      case POST -> wall(day(ts), POST_START);
      default -> Long.MIN_VALUE;
    };
  }

  public static boolean regular(long ts) {
    return session(ts) == REGULAR;
  }
}

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

  /** Bounds of one plain (24 h) ET day: [start, next) in UTC ms, and its epoch day. Immutable, so shared. */
  private record Plain(long start, long next, long epochDay) {}

  /**
   * The last plain day looked up, for every thread: a volatile read of an immutable value costs less than a
   * ThreadLocal and is just as safe (threads that want different days only replace it more often).
   */
  private static volatile Plain last = new Plain(1, 0, 0);

  private static Plain plainDay(long ts) {
    Plain c = last;
    if (ts >= c.start && ts < c.next) return c;
    LocalDate d = Instant.ofEpochMilli(ts).atZone(NY).toLocalDate();
    long start = d.atStartOfDay(NY).toInstant().toEpochMilli();
    long next = d.plusDays(1).atStartOfDay(NY).toInstant().toEpochMilli();
    if (next - start != 86_400_000L) return null;
    c = new Plain(start, next, d.toEpochDay());
    last = c;
    return c;
  }

  /** The ET calendar date of {@code ts} as an epoch day (the trading day). */
  public static long day(long ts) {
    Plain c = plainDay(ts);
    return c != null ? c.epochDay : Instant.ofEpochMilli(ts).atZone(NY).toLocalDate().toEpochDay();
  }

  /** Wall-clock milliseconds since ET midnight. */
  public static long msOfDay(long ts) {
    Plain c = plainDay(ts);
    if (c != null) return ts - c.start;
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
    Plain c = plainDay(ts);
    if (c != null) { // no clock change that day: wall time is the day's start plus the offset (one call per print)
      long m = ts - c.start;
      if (m < PRE_START || m >= POST_END) return Long.MIN_VALUE;
      return c.start + (m < REG_START ? PRE_START : m < POST_START ? REG_START : POST_START);
    }
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

package dev.newstape.flink.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** ET sessions (docs/impact-v2.md): the fast path of plain days against java.time, DST days included. */
class EasternTest {
  static long et(String local) {
    return LocalDateTime.parse(local).atZone(Eastern.NY).toInstant().toEpochMilli();
  }

  static Stream<Arguments> sessionStarts() {
    return Stream.of(
        Arguments.of("2026-12-07T03:59:59.999", null),
        Arguments.of("2026-12-07T04:00:00", "2026-12-07T04:00:00"),
        Arguments.of("2026-12-07T09:29:59.999", "2026-12-07T04:00:00"),
        Arguments.of("2026-12-07T09:30:00", "2026-12-07T09:30:00"),
        Arguments.of("2026-12-07T15:59:59.999", "2026-12-07T09:30:00"),
        Arguments.of("2026-12-07T16:00:00", "2026-12-07T16:00:00"),
        Arguments.of("2026-12-07T19:59:59.999", "2026-12-07T16:00:00"),
        Arguments.of("2026-12-07T20:00:00", null),
        // clock changes (23 h and 25 h days take the java.time route)
        Arguments.of("2026-03-08T09:45:00", "2026-03-08T09:30:00"),
        Arguments.of("2026-03-08T04:00:00", "2026-03-08T04:00:00"),
        Arguments.of("2026-11-01T16:30:00", "2026-11-01T16:00:00"),
        Arguments.of("2026-11-01T01:30:00", null));
  }

  @ParameterizedTest
  @MethodSource
  void sessionStarts(String at, String start) {
    assertEquals(start == null ? Long.MIN_VALUE : et(start), Eastern.sessionStart(et(at)));
  }

  /** The definition spelled out with java.time alone. */
  static long reference(long ts) {
    ZonedDateTime z = Instant.ofEpochMilli(ts).atZone(Eastern.NY);
    long ms = z.toLocalTime().toNanoOfDay() / 1_000_000L;
    long from = ms < 240 * Eastern.MIN || ms >= 1200 * Eastern.MIN ? -1 : ms < 570 * Eastern.MIN ? 240 : ms < 960 * Eastern.MIN ? 570 : 960;
    return from < 0 ? Long.MIN_VALUE : z.toLocalDate().atStartOfDay().plusMinutes(from).atZone(Eastern.NY).toInstant().toEpochMilli();
  }

  @Test
  void everyKindOfDayAgainstJavaTime() {
    SplittableRandom r = new SplittableRandom(7);
    long from = et("2025-12-25T00:00:00"), to = et("2027-01-05T00:00:00");
    for (int i = 0; i < 200_000; i++) {
      long ts = r.nextLong(from, to);
      assertEquals(reference(ts), Eastern.sessionStart(ts), () -> Instant.ofEpochMilli(ts).toString());
    }
  }
}

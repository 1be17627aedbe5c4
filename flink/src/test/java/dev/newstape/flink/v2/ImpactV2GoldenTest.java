package dev.newstape.flink.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The pure v2 definition against every golden vector of fixtures/news-impact/v2: every field of every record. */
class ImpactV2GoldenTest {
  @TestFactory
  List<DynamicTest> everyGoldenVector() throws Exception {
    List<DynamicTest> tests = new ArrayList<>();
    for (GoldenV2 g : GoldenV2.all()) {
      tests.add(DynamicTest.dynamicTest(g.file(), () -> {
        ImpactV2.Output out = ImpactV2.compute(g.input(), g.asOf());
        assertEquals(g.expectedImpacts().size(), out.impacts().size(), g.file() + ": impact records");
        for (int i = 0; i < out.impacts().size(); i++)
          GoldenV2.assertJson(g.file() + " impacts[" + i + "]", g.expectedImpacts().get(i), V2Json.impact(out.impacts().get(i)));
        assertEquals(g.expectedMoves().size(), out.moves().size(), g.file() + ": moves " + out.moves().stream().map(m -> m.id).toList());
        for (int i = 0; i < out.moves().size(); i++)
          GoldenV2.assertJson(g.file() + " moves[" + i + "]", g.expectedMoves().get(i), V2Json.move(out.moves().get(i)));
      }));
    }
    return tests;
  }
}

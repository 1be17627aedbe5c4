package dev.newstape.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.newstape.flink.model.Impact;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The pure definition against every golden vector file. */
class ImpactMathGoldenTest {
  @TestFactory
  List<DynamicTest> everyGoldenVector() throws Exception {
    List<DynamicTest> tests = new ArrayList<>();
    TradeConditions tc = TradeConditions.load();
    for (Golden g : Golden.all()) {
      tests.add(DynamicTest.dynamicTest(g.file() + " (" + g.name() + ")", () -> {
        assertEquals(g.tickers().length, g.expected().size(), g.file() + ": one expected entry per ticker");
        for (JsonNode exp : g.expected()) {
          String sym = exp.get("symbol").asText();
          List<dev.newstape.flink.model.Trade> trades = g.trades().stream().filter(t -> t.symbol.equals(sym)).toList();
          Impact r = ImpactMath.compute(g.mention(sym), trades, g.history(), g.asOf(), g.thresholds(), tc);
          Golden.assertMatches(g.file() + " " + sym, exp, r);
        }
      }));
    }
    return tests;
  }
}

package dev.newstape.flink.v2;

import dev.newstape.flink.Pipelines;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The v2 operator ({@link Pipelines#impactV2}) in batch mode against every v2 golden vector: one job, each file its
 * own market (key), per settings; records as of the file's asOf come from a snapshot request at the end.
 */
class PipelineV2GoldenTest {
  @TestFactory
  List<DynamicTest> everyGoldenVectorThroughTheOperator() throws Exception {
    List<GoldenV2> all = GoldenV2.all();
    Map<V2.Settings, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < all.size(); i++) groups.computeIfAbsent(all.get(i).input().settings(), k -> new ArrayList<>()).add(i);
    Map<Integer, List<V2.ImpactRecord>> impacts = new LinkedHashMap<>();
    Map<Integer, List<V2.MoveAlert>> moves = new LinkedHashMap<>();
    for (Map.Entry<V2.Settings, List<Integer>> g : groups.entrySet()) {
      List<V2Event> ev = new ArrayList<>();
      for (int i : g.getValue()) {
        for (V2Event e : V2EngineGoldenTest.events(all.get(i))) {
          e.market = i;
          ev.add(e);
        }
        impacts.put(i, new ArrayList<>());
        moves.put(i, new ArrayList<>());
      }
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
      env.setRuntimeMode(RuntimeExecutionMode.BATCH);
      env.setParallelism(1);
      DataStream<V2Event> in = env.fromData(ev, V2EventType.INFO)
          .assignTimestampsAndWatermarks(WatermarkStrategy.<V2Event>noWatermarks().withTimestampAssigner((e, x) -> e.time));
      SingleOutputStreamOperator<V2.ImpactRecord> out = Pipelines.impactV2(in, g.getKey());
      // Both outputs in one collected stream.
      DataStream<Object[]> both = out.map(r -> new Object[] {r}).returns(Types.GENERIC(Object[].class))
          .union(out.getSideOutput(ImpactV2Function.MOVES).map(a -> new Object[] {a}).returns(Types.GENERIC(Object[].class)));
      try (CloseableIterator<Object[]> it = both.executeAndCollect("golden-v2")) {
        it.forEachRemaining(o -> {
          if (o[0] instanceof V2.ImpactRecord r) impacts.get(r.market).add(r);
          else moves.get(((V2.MoveAlert) o[0]).market).add((V2.MoveAlert) o[0]);
        });
      }
    }
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      GoldenV2 g = all.get(i);
      int k = i;
      tests.add(DynamicTest.dynamicTest(g.file(), () -> V2EngineGoldenTest.check(g, impacts.get(k), moves.get(k))));
    }
    return tests;
  }
}

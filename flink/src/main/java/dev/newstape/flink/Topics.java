package dev.newstape.flink;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the job's topics when missing (broker defaults for partitions and replication): the Kafka source fails
 * over in a loop on a topic that does not exist yet, e.g. when the job starts before the app has published.
 */
public final class Topics {
  private Topics() {}

  public static final List<String> NAMES = List.of("market.trades", "market.bars.1m", "news.articles", "signals.news-impact",
      "signals.moves");

  public static void ensure(JobConfig cfg) throws Exception {
    Map<String, Object> conf = new java.util.HashMap<>(cfg.kafkaClientProps()); // TLS/SASL
    conf.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cfg.brokers());
    conf.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000);
    try (Admin admin = Admin.create(conf)) {
      Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (String n : NAMES)
        if (!existing.contains(cfg.topic(n))) missing.add(new NewTopic(cfg.topic(n), Optional.empty(), Optional.empty()));
      if (missing.isEmpty()) return;
      try {
        admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) throw e; // created meanwhile by the app: fine
      }
    }
  }
}

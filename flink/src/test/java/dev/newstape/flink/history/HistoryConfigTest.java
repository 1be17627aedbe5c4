package dev.newstape.flink.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Archive settings → catalog properties: hadoop / jdbc / rest catalogs, and S3FileIO for an s3:// warehouse. */
class HistoryConfigTest {
  private static HistoryConfig cfg(String... kv) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i + 1 < kv.length; i += 2) env.put(kv[i], kv[i + 1]);
    return HistoryConfig.from(env, new String[0]);
  }

  /** The docker stack's settings (docker/docker-compose.yml, jobmanager). */
  private static final String[] DOCKER = {
    "ICEBERG_CATALOG", "rest",
    "ICEBERG_REST_URI", "http://iceberg-rest:8181",
    "ICEBERG_WAREHOUSE", "s3://newstape-warehouse/",
    "ICEBERG_S3_ENDPOINT", "http://minio:9000",
    "ICEBERG_S3_ACCESS_KEY_ID", "newstape",
    "ICEBERG_S3_SECRET_ACCESS_KEY", "change-me-too",
  };

  static Stream<Arguments> propertyCases() {
    return Stream.of(
        Arguments.of("defaults: hadoop catalog in a local folder", new String[0],
            Map.of("warehouse", "file:///tmp/newstape-flink/iceberg")),
        Arguments.of("jdbc catalog in PostgreSQL, default PG settings", new String[] {"ICEBERG_CATALOG", "jdbc"},
            Map.of("warehouse", "file:///tmp/newstape-flink/iceberg", "uri", "jdbc:postgresql://127.0.0.1:5432/test",
                "jdbc.user", "postgres", "jdbc.password", "", "jdbc.schema-version", "V1")),
        Arguments.of("rest catalog, default URI, local warehouse", new String[] {"ICEBERG_CATALOG", "rest"},
            Map.of("warehouse", "file:///tmp/newstape-flink/iceberg", "uri", "http://127.0.0.1:8181")),
        Arguments.of("docker: rest catalog on MinIO", DOCKER,
            Map.of("warehouse", "s3://newstape-warehouse/", "uri", "http://iceberg-rest:8181",
                "io-impl", "org.apache.iceberg.aws.s3.S3FileIO", "s3.endpoint", "http://minio:9000",
                "s3.access-key-id", "newstape", "s3.secret-access-key", "change-me-too", "s3.path-style-access", "true",
                "client.region", "us-east-1")),
        Arguments.of("rest on AWS S3: default credential chain, virtual-hosted style, own region",
            new String[] {"ICEBERG_CATALOG", "rest", "ICEBERG_REST_URI", "https://catalog.example.com/api",
                "ICEBERG_WAREHOUSE", "s3a://bucket/wh", "ICEBERG_S3_PATH_STYLE_ACCESS", "false", "ICEBERG_S3_REGION",
                "eu-central-1"},
            Map.of("warehouse", "s3a://bucket/wh", "uri", "https://catalog.example.com/api",
                "io-impl", "org.apache.iceberg.aws.s3.S3FileIO", "s3.path-style-access", "false",
                "client.region", "eu-central-1")),
        Arguments.of("jdbc catalog with an s3 warehouse", new String[] {"ICEBERG_CATALOG", "jdbc", "ICEBERG_WAREHOUSE",
            "s3://b/", "ICEBERG_S3_ENDPOINT", "http://127.0.0.1:9000", "PG_USER", "me"},
            Map.of("warehouse", "s3://b/", "uri", "jdbc:postgresql://127.0.0.1:5432/test", "jdbc.user", "me",
                "jdbc.password", "", "jdbc.schema-version", "V1", "io-impl", "org.apache.iceberg.aws.s3.S3FileIO",
                "s3.endpoint", "http://127.0.0.1:9000", "s3.path-style-access", "true", "client.region", "us-east-1")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("propertyCases")
  void catalogProperties(String name, String[] env, Map<String, String> expected) {
    assertEquals(expected, ArchiveTables.catalogProperties(cfg(env)));
  }

  @Test
  void argumentsOverrideTheEnvironment() {
    HistoryConfig c = HistoryConfig.from(Map.of("ICEBERG_CATALOG", "hadoop"),
        new String[] {"--ICEBERG_CATALOG", "rest", "--ICEBERG_REST_URI", "http://127.0.0.1:18181"});
    assertEquals("rest", c.catalogType());
    assertEquals("http://127.0.0.1:18181", c.restUri());
  }

  static Stream<Arguments> rejected() {
    return Stream.of(
        Arguments.of(new String[] {"ICEBERG_CATALOG", "hive"}, "hadoop, jdbc or rest"),
        Arguments.of(new String[] {"ICEBERG_WAREHOUSE", "s3://b/"}, "needs ICEBERG_CATALOG=rest or jdbc"),
        Arguments.of(new String[] {"ICEBERG_CATALOG", "rest", "ICEBERG_REST_URI", "iceberg-rest:8181"}, "ICEBERG_REST_URI"),
        Arguments.of(new String[] {"ICEBERG_CATALOG", "rest", "ICEBERG_REST_URI", "ftp://x"}, "ICEBERG_REST_URI"),
        Arguments.of(new String[] {"ICEBERG_S3_ENDPOINT", "minio:9000"}, "ICEBERG_S3_ENDPOINT"),
        Arguments.of(new String[] {"ICEBERG_S3_PATH_STYLE_ACCESS", "yes"}, "ICEBERG_S3_PATH_STYLE_ACCESS"),
        Arguments.of(new String[] {"ICEBERG_S3_ACCESS_KEY_ID", "only-the-id"}, "both"),
        Arguments.of(new String[] {"ICEBERG_TRADE_BUCKETS", "0"}, "ICEBERG_TRADE_BUCKETS"));
  }

  @ParameterizedTest
  @MethodSource("rejected")
  void refusesBadSettingsWithTheirName(String[] env, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cfg(env));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @Test
  void secretsStayOutOfToString() {
    HistoryConfig c = cfg(DOCKER);
    assertFalse(c.toString().contains("change-me-too"), c.toString());
    assertTrue(c.toString().contains("secretAccessKey=***"), c.toString());
    assertFalse(cfg("ICEBERG_CATALOG", "jdbc", "PG_PASSWORD", "pg-secret").toString().contains("pg-secret"));
  }

  @Test
  void eachCatalogTypeGetsItsLoader() {
    assertEquals("HadoopCatalogLoader", ArchiveTables.catalogLoader(cfg()).getClass().getSimpleName());
    assertEquals("CustomCatalogLoader", ArchiveTables.catalogLoader(cfg("ICEBERG_CATALOG", "jdbc")).getClass().getSimpleName());
    assertEquals("RESTCatalogLoader", ArchiveTables.catalogLoader(cfg(DOCKER)).getClass().getSimpleName());
  }
}

package dev.newstape.flink.history;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * Archive settings from environment variables, overridable by {@code --NAME value} arguments (the same convention
 * as {@link dev.newstape.flink.JobConfig}, so one command line configures both).
 *
 * <ul>
 *   <li>{@code ICEBERG_ENABLED} (true): whether the streaming job also archives to Iceberg.
 *   <li>{@code ICEBERG_WAREHOUSE} (file:///tmp/newstape-flink/iceberg): the warehouse folder (or any Hadoop URI).
 *   <li>{@code ICEBERG_CATALOG} (hadoop): {@code hadoop} keeps the catalog in the warehouse folder itself;
 *       {@code jdbc} keeps table pointers in PostgreSQL ({@code ICEBERG_JDBC_URL}, default PG_URL), which makes
 *       commits from several processes (job + maintenance) safe on filesystems without atomic rename;
 *       {@code rest} uses an Iceberg REST catalog service at {@code ICEBERG_REST_URI} (http://127.0.0.1:8181).
 *   <li>An {@code s3://} (or {@code s3a://}) warehouse is read and written with Iceberg's {@code S3FileIO} (needs
 *       {@code iceberg-aws-bundle} on the class path: {@code mvn -Ps3 package}), configured by
 *       {@code ICEBERG_S3_ENDPOINT} (empty: AWS), {@code ICEBERG_S3_ACCESS_KEY_ID} / {@code ICEBERG_S3_SECRET_ACCESS_KEY}
 *       (empty: the AWS default credential chain), {@code ICEBERG_S3_REGION} (us-east-1) and
 *       {@code ICEBERG_S3_PATH_STYLE_ACCESS} (true, as MinIO wants). Only the jdbc and rest catalogs take one.
 *   <li>{@code ICEBERG_NAMESPACE} (newstape), {@code ICEBERG_TRADE_BUCKETS} (4).
 * </ul>
 */
public record HistoryConfig(
    boolean enabled,
    String warehouse,
    String catalogType,
    String namespace,
    String jdbcUrl,
    String jdbcUser,
    String jdbcPassword,
    int tradeBuckets,
    String restUri,
    S3 s3)
    implements Serializable {

  public static final String DEFAULT_WAREHOUSE = "file:///tmp/newstape-flink/iceberg";
  public static final String DEFAULT_REST_URI = "http://127.0.0.1:8181";

  /** Object-store settings for an s3:// warehouse (unused for a filesystem warehouse). */
  public record S3(String endpoint, String accessKeyId, String secretAccessKey, String region, boolean pathStyleAccess)
      implements Serializable {
    /** The secret never appears in logs or exception messages. */
    @Override
    public String toString() {
      return "S3[endpoint=" + endpoint + ", accessKeyId=" + accessKeyId + ", secretAccessKey="
          + (secretAccessKey.isEmpty() ? "" : "***") + ", region=" + region + ", pathStyleAccess=" + pathStyleAccess + "]";
    }
  }

  public static HistoryConfig from(Map<String, String> env, String[] args) {
    Map<String, String> m = new HashMap<>(env);
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) throw new IllegalArgumentException("expected --NAME value, got " + args[i]);
      m.put(args[i].substring(2), args[i + 1]);
    }
    String type = m.getOrDefault("ICEBERG_CATALOG", "hadoop");
    if (!type.equals("hadoop") && !type.equals("jdbc") && !type.equals("rest"))
      throw new IllegalArgumentException("ICEBERG_CATALOG must be hadoop, jdbc or rest, got " + type);
    int buckets = Integer.parseInt(m.getOrDefault("ICEBERG_TRADE_BUCKETS", "4"));
    if (buckets < 1) throw new IllegalArgumentException("ICEBERG_TRADE_BUCKETS must be >= 1");
    String warehouse = warehouseUri(m.getOrDefault("ICEBERG_WAREHOUSE", DEFAULT_WAREHOUSE));
    if (isObjectStore(warehouse) && type.equals("hadoop"))
      throw new IllegalArgumentException("an s3:// ICEBERG_WAREHOUSE needs ICEBERG_CATALOG=rest or jdbc (the hadoop catalog"
          + " commits by renaming files, which object stores cannot do atomically)");
    String restUri = m.getOrDefault("ICEBERG_REST_URI", DEFAULT_REST_URI);
    if (type.equals("rest") && !restUri.matches("https?://[^/\\s]+(/\\S*)?"))
      throw new IllegalArgumentException("ICEBERG_REST_URI must be an http(s) URL, got " + restUri);
    String endpoint = m.getOrDefault("ICEBERG_S3_ENDPOINT", "");
    if (!endpoint.isEmpty() && !endpoint.matches("https?://\\S+"))
      throw new IllegalArgumentException("ICEBERG_S3_ENDPOINT must be an http(s) URL, got " + endpoint);
    String pathStyle = m.getOrDefault("ICEBERG_S3_PATH_STYLE_ACCESS", "true");
    if (!pathStyle.equals("true") && !pathStyle.equals("false"))
      throw new IllegalArgumentException("ICEBERG_S3_PATH_STYLE_ACCESS must be true or false, got " + pathStyle);
    S3 s3 = new S3(endpoint, m.getOrDefault("ICEBERG_S3_ACCESS_KEY_ID", ""), m.getOrDefault("ICEBERG_S3_SECRET_ACCESS_KEY", ""),
        m.getOrDefault("ICEBERG_S3_REGION", "us-east-1"), Boolean.parseBoolean(pathStyle));
    if (s3.accessKeyId().isEmpty() != s3.secretAccessKey().isEmpty())
      throw new IllegalArgumentException("set both ICEBERG_S3_ACCESS_KEY_ID and ICEBERG_S3_SECRET_ACCESS_KEY, or neither");
    return new HistoryConfig(
        Boolean.parseBoolean(m.getOrDefault("ICEBERG_ENABLED", "true")),
        warehouse,
        type,
        m.getOrDefault("ICEBERG_NAMESPACE", "newstape"),
        m.getOrDefault("ICEBERG_JDBC_URL", m.getOrDefault("PG_URL", "jdbc:postgresql://127.0.0.1:5432/test")),
        m.getOrDefault("ICEBERG_JDBC_USER", m.getOrDefault("PG_USER", "postgres")),
        m.getOrDefault("ICEBERG_JDBC_PASSWORD", m.getOrDefault("PG_PASSWORD", "")),
        buckets,
        restUri,
        s3);
  }

  /** Whether the warehouse is on an object store (read and written with S3FileIO). */
  public static boolean isObjectStore(String warehouse) {
    return warehouse.startsWith("s3://") || warehouse.startsWith("s3a://");
  }

  /** The secrets never appear in logs or exception messages. */
  @Override
  public String toString() {
    return "HistoryConfig[enabled=" + enabled + ", warehouse=" + warehouse + ", catalogType=" + catalogType + ", namespace="
        + namespace + ", jdbcUrl=" + jdbcUrl + ", jdbcUser=" + jdbcUser + ", tradeBuckets=" + tradeBuckets + ", restUri="
        + restUri + ", s3=" + s3 + "]";
  }

  /** A plain path becomes a file: URI, so a relative folder cannot be read as an HDFS path. */
  static String warehouseUri(String w) {
    if (w.contains("://") || w.startsWith("file:")) return w;
    return java.nio.file.Path.of(w).toAbsolutePath().normalize().toUri().toString();
  }

  /** A config for a given warehouse folder with every other setting at its default (tests, benchmark). */
  public static HistoryConfig local(String warehouse) {
    return from(Map.of("ICEBERG_WAREHOUSE", warehouse), new String[0]);
  }
}

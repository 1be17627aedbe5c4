package dev.newstape.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Kafka client security from the environment (issue 19): the same settings the app and the CLI take. */
class JobConfigSecurityTest {
  @Test
  void plaintextByDefault() {
    assertEquals(Map.of(), JobConfig.from(Map.of(), new String[0]).kafkaClientProps());
  }

  @Test
  void saslSslWithScramAndCa() {
    Map<String, String> p = JobConfig.kafkaClientProps(Map.of(
        "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
        "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
        "KAFKA_SASL_USERNAME", "alice",
        "KAFKA_SASL_PASSWORD", "pa\"ss",
        "KAFKA_SSL_CA_FILE", "/certs/ca.pem"));
    assertEquals("SASL_SSL", p.get("security.protocol"));
    assertEquals("SCRAM-SHA-512", p.get("sasl.mechanism"));
    assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"alice\" password=\"pa\\\"ss\";",
        p.get("sasl.jaas.config"));
    assertEquals("PEM", p.get("ssl.truststore.type"));
    assertEquals("/certs/ca.pem", p.get("ssl.truststore.location"));
    assertTrue(!p.containsKey("ssl.endpoint.identification.algorithm"));
  }

  @Test
  void insecureOnlyWhenAskedAndRawProperties() {
    Map<String, String> p = JobConfig.kafkaClientProps(Map.of(
        "KAFKA_SECURITY_PROTOCOL", "SSL", "KAFKA_SSL_INSECURE", "true", "KAFKA_PROP_ssl_enabled_protocols", "TLSv1.3"));
    assertEquals("", p.get("ssl.endpoint.identification.algorithm"));
    assertEquals("TLSv1.3", p.get("ssl.enabled.protocols"));
    assertTrue(!p.containsKey("sasl.mechanism"));
  }

  @Test
  void refusesUnknownProtocolOrMechanism() {
    assertThrows(IllegalArgumentException.class, () -> JobConfig.kafkaClientProps(Map.of("KAFKA_SECURITY_PROTOCOL", "TLS")));
    assertThrows(IllegalArgumentException.class, () -> JobConfig.kafkaClientProps(
        Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_SASL_MECHANISM", "GSSAPI")));
  }
}

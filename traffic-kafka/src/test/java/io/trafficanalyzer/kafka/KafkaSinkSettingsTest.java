package io.trafficanalyzer.kafka;

import io.trafficanalyzer.core.ConfigurationException;
import io.trafficanalyzer.core.sink.StatsSinkProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KafkaSinkSettingsTest
{
    @Test
    void shouldReadServersTopicAndDecodedOptionsWhenTheUriIsValid()
    {
        final KafkaUri uri = KafkaUri.parse(
            "kafka://b1:9092,[::1]:9093/fleet.v1?acks=all&sasl.jaas.config=a%20b%3D%22c%22%3B&linger.ms=20");

        assertEquals("b1:9092,[::1]:9093", uri.bootstrapServers());
        assertEquals("fleet.v1", uri.topic());
        assertEquals(Map.of("acks", "all", "sasl.jaas.config", "a b=\"c\";", "linger.ms", "20"), uri.options());
        assertEquals(KafkaSink.DEFAULT_TOPIC, KafkaUri.parse("kafka://b1:9092").topic());
        assertEquals(KafkaSink.DEFAULT_TOPIC, KafkaUri.parse("KAFKA://b1:9092/").topic());
    }

    @Test
    void shouldTakeSettingsFromTheFileBeforeTheUrisWhenConfigNamesAFile(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("client.properties");
        Files.writeString(file, "security.protocol=SASL_SSL\nlinger.ms=50\n");

        final KafkaUri uri = KafkaUri.parse("kafka://b1:9092/t?config=" + file + "&linger.ms=7");

        assertEquals(Map.of("security.protocol", "SASL_SSL", "linger.ms", "7"), uri.options());
        assertMessage("config=" + dir.resolve("none") + ": cannot read the properties file: ",
            () -> KafkaUri.parse("kafka://b1:9092/t?config=" + dir.resolve("none")));
    }

    @Test
    void shouldNameTheSettingTheValueAndTheReasonWhenAnOptionIsRefused()
    {
        assertMessage("uri=http://b1:9092/t: must start with kafka://", () -> KafkaSink.fromUri("http://b1:9092/t"));
        assertMessage("servers=b1: must be HOST:PORT with a port from 1 to 65535",
            () -> KafkaSink.fromUri("kafka://b1/t"));
        assertMessage("servers=b1:99999: must be HOST:PORT", () -> KafkaSink.fromUri("kafka://b1:99999/t"));
        assertMessage("topic=a/b: must be 1 to 249 letters", () -> KafkaSink.fromUri("kafka://b1:9092/a/b"));
        assertMessage("lingerms=5: unknown option: not a Kafka producer setting",
            () -> KafkaSink.fromUri("kafka://b1:9092/t?lingerms=5").build());
        assertMessage("linger.ms=soon: Not a number of type LONG",
            () -> KafkaSink.fromUri("kafka://b1:9092/t?linger.ms=soon").build());
        assertMessage("compression.type=rar: String must be one of:",
            () -> KafkaSink.fromUri("kafka://b1:9092/t?compression.type=rar").build());
        assertMessage("acks=1: transactions need acks=all",
            () -> KafkaSink.fromUri("kafka://b1:9092/t?acks=1").build());
        assertMessage("enable.idempotence=false: transactions need idempotence",
            () -> KafkaSink.fromUri("kafka://b1:9092/t?enable.idempotence=false").build());
        final String partitioner = "org.apache.kafka.clients.producer.RoundRobinPartitioner";
        assertMessage("partitioner.class=" + partitioner + ": the sink chooses each record's partition",
            () -> KafkaSink.fromUri("kafka://b1:9092/t?partitioner.class=" + partitioner).build());
        assertMessage("delivery.timeout.ms=1000: must be at least linger.ms + request.timeout.ms (10005)",
            () -> KafkaSink.fromUri("kafka://b1:9092/t?delivery.timeout.ms=1000").build());
        assertMessage("acks=all: given twice", () -> KafkaSink.fromUri("kafka://b1:9092/t?acks=all&acks=all"));
        assertMessage("isolation.level=read_uncommitted: the collector must see only committed batches",
            () -> collector("kafka://b1:9092/t?isolation.level=read_uncommitted"));
        assertMessage("enable.auto.commit=true: the collector commits offsets only once the sink committed",
            () -> collector("kafka://b1:9092/t?enable.auto.commit=true"));
        assertMessage("sink=nosuch:x: unknown scheme 'nosuch'; known schemes: [kafka, sqlite]",
            () -> KafkaCollector.builder("kafka://b1:9092/t").sink("nosuch:x").build());
    }

    @Test
    void shouldMakeASinkWhenTheProviderIsFoundByItsScheme() throws Exception
    {
        StatsSinkProvider found = null;
        for (final StatsSinkProvider provider : ServiceLoader.load(StatsSinkProvider.class))
        {
            if (provider.scheme().equals("kafka"))
            {
                found = provider;
            }
        }

        try (KafkaSink sink = (KafkaSink)found.newSink("kafka://127.0.0.1:1/fleet?compression.type=zstd"))
        {
            assertEquals("fleet", sink.topic());
            assertEquals(0, sink.producersCreated());
        }
    }

    private static KafkaCollector collector(final String uri)
    {
        return KafkaCollector.builder(uri).sink(new IdentitySink()).build();
    }

    private static void assertMessage(final String prefix, final org.junit.jupiter.api.function.Executable call)
    {
        final ConfigurationException refused = assertThrows(ConfigurationException.class, call);
        assertTrue(refused.getMessage().startsWith(prefix), refused.getMessage());
    }
}

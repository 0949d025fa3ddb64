package io.trafficanalyzer.examples;

import io.trafficanalyzer.core.ConfigurationException;
import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.codec.DecodedPacket;
import io.trafficanalyzer.core.codec.FrameOutcome;
import io.trafficanalyzer.core.sink.BucketQuality;
import io.trafficanalyzer.core.sink.StatsBatch;
import io.trafficanalyzer.core.sink.StatsRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonLinesSinkTest
{
    private static final Pattern FIELD = Pattern.compile("\"([a-z_]+)\":(\"[^\"]*\"|[^,}]+)");

    @TempDir
    Path dir;

    @Test
    void shouldWriteEveryRowAndEachBucketsQualityWhenFoundByItsScheme() throws IOException
    {
        final TrafficScript script = TrafficScript.standard();
        final Path capture = dir.resolve("standard.pcap");
        script.writePcap(capture);
        final Path jsonl = dir.resolve("out").resolve("stats.jsonl");

        runAnalyzer("file:" + capture, "jsonl:" + jsonl);

        final List<String> lines = Files.readAllLines(jsonl, StandardCharsets.UTF_8);
        final List<Map<String, String>> quality = lines.stream().map(JsonLinesSinkTest::fields)
            .filter(f -> "\"quality\"".equals(f.get("view"))).toList();
        assertEquals(3, quality.size());
        assertEquals(script.frameCount(), quality.stream().mapToLong(f -> Long.parseLong(f.get("frames"))).sum());
        assertEquals(script.ipBytes(), quality.stream().mapToLong(f -> Long.parseLong(f.get("bytes"))).sum());
        assertEquals(script.rowCount(10), lines.size() - quality.size());
        assertEquals(script.rowCount(10), quality.stream().mapToLong(f -> Long.parseLong(f.get("rows"))).sum());

        final Map<String, long[]> hosts = new HashMap<>();
        for (final String line : lines)
        {
            final Map<String, String> f = fields(line);
            if ("\"hosts\"".equals(f.get("view")))
            {
                final long[] m = hosts.computeIfAbsent(f.get("host"), k -> new long[4]);
                m[0] += Long.parseLong(f.get("in_bytes"));
                m[1] += Long.parseLong(f.get("in_packets"));
                m[2] += Long.parseLong(f.get("out_bytes"));
                m[3] += Long.parseLong(f.get("out_packets"));
            }
        }
        final Map<List<Object>, long[]> expected = script.view("host", 0, Long.MAX_VALUE);
        assertEquals(expected.size(), hosts.size());
        for (final Map.Entry<List<Object>, long[]> entry : expected.entrySet())
        {
            assertArrayEquals(entry.getValue(), hosts.get("\"" + entry.getKey().get(0) + "\""));
        }
        assertTrue(lines.get(0).startsWith("{\"time\":\"2024-05-01T10:00:00Z\",\"bucket_start\":" +
            TrafficScript.T0_SECONDS + ",\"bucket_seconds\":10,\"view\":"), lines.get(0));
    }

    @Test
    void shouldWriteToStandardOutputWhenTheUriIsADash() throws IOException
    {
        final TrafficScript script = TrafficScript.standard();
        final Path capture = dir.resolve("standard.pcap");
        script.writePcap(capture);
        final PrintStream original = System.out;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try
        {
            runAnalyzer("file:" + capture, "jsonl:-");
        }
        finally
        {
            System.setOut(original);
        }

        final String[] lines = captured.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(script.rowCount(10) + 3, lines.length);
    }

    @Test
    void shouldWriteOnlyTheLastAttemptWhenABatchIsRetried() throws IOException
    {
        final StringWriter out = new StringWriter();
        final JsonLinesSink sink = new JsonLinesSink(out, true);
        final FakeRow row = new FakeRow();

        sink.onBatchStart(FakeBatch.INSTANCE);
        sink.onRow(row);
        // the delivery failed here, e.g. in another sink call: the batch is delivered again, whole
        sink.onBatchStart(FakeBatch.INSTANCE);
        sink.onRow(row);
        sink.onBatchEnd(FakeBatch.INSTANCE);
        sink.close();

        assertEquals(
            "{\"time\":\"1970-01-01T00:01:40Z\",\"bucket_start\":100,\"bucket_seconds\":10,\"view\":\"hosts\"," +
            "\"host\":\"192.0.2.1\",\"protocol\":6,\"in_bytes\":1,\"in_packets\":2,\"out_bytes\":3," +
            "\"out_packets\":4}\n" +
            "{\"time\":\"1970-01-01T00:01:40Z\",\"bucket_start\":100,\"bucket_seconds\":10,\"view\":\"quality\"," +
            "\"frames\":7,\"packets\":6,\"bytes\":5,\"transit_packets\":0,\"non_ip\":1,\"malformed\":0," +
            "\"late_packets\":0,\"ring_drops\":0,\"kernel_drops\":0,\"complete\":true,\"rows\":1}\n",
            out.toString());
    }

    @Test
    void shouldNameTheUriWhenItHasNoFile()
    {
        final ConfigurationException ex = assertThrows(ConfigurationException.class,
            () -> TrafficAnalyzer.builder().source("generator:packets=1").sink("jsonl:").build());

        assertEquals("sink", ex.setting());
        assertEquals("jsonl:", ex.value());
        assertTrue(ex.getMessage().contains("a jsonl: URI needs a file, or '-' for standard output"), ex.getMessage());
    }

    private static void runAnalyzer(final String source, final String sink)
    {
        try (TrafficAnalyzer analyzer = TrafficAnalyzer.builder().source(source).sink(sink).build())
        {
            analyzer.start();
            analyzer.awaitCompletion();
        }
    }

    private static Map<String, String> fields(final String line)
    {
        final Map<String, String> fields = new HashMap<>();
        final Matcher matcher = FIELD.matcher(line);
        while (matcher.find())
        {
            fields.put(matcher.group(1), matcher.group(2));
        }
        return fields;
    }

    private static final class FakeBatch implements StatsBatch, BucketQuality
    {
        static final FakeBatch INSTANCE = new FakeBatch();
        private static final io.trafficanalyzer.core.capture.CaptureStream STREAM =
            new io.trafficanalyzer.core.capture.CaptureStream("run:test", "test");

        public String agent()
        {
            return "test-agent";
        }

        public io.trafficanalyzer.core.capture.CaptureStream stream()
        {
            return STREAM;
        }

        public int part()
        {
            return 0;
        }

        public long startEpochSecond()
        {
            return 100;
        }

        public int widthSeconds()
        {
            return 10;
        }

        public BucketQuality quality()
        {
            return this;
        }

        public int rowCount()
        {
            return 1;
        }

        public long frames()
        {
            return 7;
        }

        public long packets()
        {
            return 6;
        }

        public long bytes()
        {
            return 5;
        }

        public long transitPackets()
        {
            return 0;
        }

        public long transitBytes()
        {
            return 0;
        }

        public long frames(final FrameOutcome outcome)
        {
            return outcome == FrameOutcome.NON_IP ? 1 : 0;
        }

        public long latePackets()
        {
            return 0;
        }

        public long ringDrops()
        {
            return 0;
        }

        public long kernelDrops()
        {
            return 0;
        }

        public long foldedKeys()
        {
            return 0;
        }
    }

    private static final class FakeRow implements StatsRow
    {
        public String view()
        {
            return HOSTS;
        }

        public long hostHi()
        {
            return DecodedPacket.IPV4_MAPPED_HI;
        }

        public long hostLo()
        {
            return DecodedPacket.ipv4MappedLo(0xC000_0201);
        }

        public long peerHi()
        {
            return 0;
        }

        public long peerLo()
        {
            return 0;
        }

        public int protocol()
        {
            return 6;
        }

        public int port()
        {
            return 0;
        }

        public boolean served()
        {
            return false;
        }

        public long key()
        {
            return 0;
        }

        public boolean isFolded()
        {
            return false;
        }

        public long inBytes()
        {
            return 1;
        }

        public long inPackets()
        {
            return 2;
        }

        public long outBytes()
        {
            return 3;
        }

        public long outPackets()
        {
            return 4;
        }
    }
}

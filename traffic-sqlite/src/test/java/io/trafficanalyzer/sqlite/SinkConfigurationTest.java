package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.ConfigurationException;
import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.capture.CaptureFileException;
import io.trafficanalyzer.core.testing.GeneratedTraffic;
import io.trafficanalyzer.core.testing.PcapFileWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@code sqlite:} sink the analyzer cannot write is refused when it is built, naming the setting, the URI and the
 * reason; and a damaged capture replayed into SQLite leaves exactly the packets before the damage in the store.
 */
class SinkConfigurationTest
{
    @TempDir
    Path dir;

    @Test
    void shouldRefuseAtBuildTimeASqlitePathThatCannotBeWritten() throws Exception
    {
        final Path plainFile = Files.writeString(dir.resolve("plain-file"), "x");
        final Path notADatabase = Files.writeString(dir.resolve("notes.db"), "not a database ".repeat(300));
        final Path directory = Files.createDirectories(dir.resolve("a-directory.db"));

        assertRefused("sqlite:" + plainFile.resolve("sub/traffic.db"), "cannot create directory");
        assertRefused("sqlite:" + directory, "is a directory, not a database file");
        assertRefused("sqlite:" + notADatabase, "not a database");
        assertRefused("sqlite:/proc/traffic.db", "cannot create the database file");
        assertRefused("sqlite:" + dir.resolve("x.db") + "?raw=soon", "option raw=soon");
        assertRefused("sqlite:" + dir.resolve("x.db") + "?colour=blue", "option colour=blue");
        assertRefused("sqlite:", "not a valid sqlite: URI");
        assertFalse(Files.exists(dir.resolve("x.db")), "a refused sink creates nothing");
    }

    @Test
    void shouldRefuseAtBuildTimeAFileOrDirectoryMadeImmutable() throws Exception
    {
        RootOnly.assumeRoot("immutable sqlite path test");
        RootOnly.assumeImmutableSupported(dir, "immutable sqlite path test");
        final Path locked = Files.createDirectories(dir.resolve("locked"));
        final Path existing = dir.resolve("existing.db");
        try (SqliteSink sink = SqliteSink.builder(existing).freeSpaceFloor(0).build())
        {
            Traffic.batch(Traffic.T0, 10, 1).writeTo(sink);
        }

        RootOnly.immutable(true, locked, existing);
        try
        {
            assertRefused("sqlite:" + locked.resolve("traffic.db"), "cannot create the database file");
            assertRefused("sqlite:" + existing, "the file is not writable by this process");
        }
        finally
        {
            RootOnly.immutable(false, locked, existing);
        }
    }

    @Test
    void shouldStoreWhatCameBeforeTheDamageWhenReplayingADamagedGzipFileIntoSqlite() throws Exception
    {
        final GeneratedTraffic traffic = new GeneratedTraffic(1_700_000_000L * 1_000_000_000L, 7_000_000L, 30, 300, 4);
        final Path plain = dir.resolve("capture.pcap");
        final long[] offsets = traffic.writePcap(plain, 20_000);
        final int damaged = 13_579;
        final byte[] cut = Arrays.copyOf(Files.readAllBytes(plain), (int)offsets[damaged] + 9);
        final Path capture = dir.resolve("capture.pcap.gz");
        final ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (OutputStream gzip = new GZIPOutputStream(compressed))
        {
            gzip.write(cut);
        }
        Files.write(capture, compressed.toByteArray());
        final Path db = dir.resolve("damaged.db");

        try (TrafficAnalyzer analyzer = TrafficAnalyzer.builder()
            .source("file:" + capture)
            .localNetworks(GeneratedTraffic.LOCAL_NETWORKS)
            .bucket(Duration.ofSeconds(10))
            .sink("sqlite:" + db)
            .errorHandler((ignore) ->
            {
            })
            .build())
        {
            analyzer.start();
            assertTrue(analyzer.awaitCompletion(Duration.ofSeconds(60)));
            final CaptureFileException failure = assertInstanceOf(CaptureFileException.class,
                analyzer.sourceFailure());
            assertEquals(offsets[damaged], failure.offset());
        }

        assertEquals(traffic.expectedHosts(0, damaged, 10), StoredHosts.read(db));
    }

    private void assertRefused(final String uri, final String reason)
    {
        final Path capture = dir.resolve("empty.pcap");
        if (!Files.exists(capture))
        {
            PcapFileWriter.create(capture).close();
        }
        final ConfigurationException ex = assertThrows(ConfigurationException.class,
            () -> TrafficAnalyzer.builder().source("file:" + capture).sink(uri).build());

        assertEquals("sink", ex.setting());
        assertEquals(uri, ex.value());
        assertTrue(ex.getMessage().startsWith("sink=" + uri + ": cannot open: "), ex.getMessage());
        assertTrue(ex.getMessage().contains(reason), ex.getMessage());
    }
}

package io.trafficanalyzer.examples.cli;

import io.trafficanalyzer.examples.TrafficScript;
import io.trafficanalyzer.kafka.KafkaBroker;
import io.trafficanalyzer.sqlite.SqliteStoreException;
import io.trafficanalyzer.sqlite.TrafficStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fleet through the real command line and a real broker: agents replay their captures with
 * {@code --sink kafka://...}, {@code collect} applies the topic to a central store, and every agent's rows there
 * answer {@code top} and {@code report} exactly as a store that agent wrote directly; SIGTERM stops a collector
 * cleanly. One broker for the class, a topic per test.
 */
class FleetCommandIT
{
    private static final Pattern RECORDS = Pattern.compile("(?m)^\\s+published\\s+\\d+\\s+\\(buckets, (\\d+) records");
    private static final String[] AGENTS = { "edge-a", "edge-b", "edge-c" };
    private static final String[][] QUERIES = {
        { "top" },
        { "top", "--by", "ports" },
        { "top", "--by", "peers", "--limit", "50" },
        { "top", "--host", TrafficScript.A, "--by", "peers" },
        { "report" },
        { "report", "--host", TrafficScript.A } };

    @TempDir
    static Path dir;
    private static KafkaBroker broker;
    private static Map<String, Path> captures;
    private static Map<String, TrafficScript> scripts;

    @BeforeAll
    static void startBrokerAndWriteCaptures() throws Exception
    {
        final Path brokerDir = Files.createDirectories(dir.resolve("broker"));
        broker = KafkaBroker.start(brokerDir);

        // three hosts' captures: the same two local hosts, at other times and with other traffic
        scripts = new TreeMap<>(Map.of(
            AGENTS[0], TrafficScript.standard(),
            AGENTS[1], TrafficScript.standard().shifted(3600),
            AGENTS[2], TrafficScript.standard().slice(0, 1500).shifted(120)));
        captures = new TreeMap<>();
        for (final Map.Entry<String, TrafficScript> script : scripts.entrySet())
        {
            final Path capture = dir.resolve(script.getKey() + ".pcap");
            script.getValue().writePcap(capture);
            captures.put(script.getKey(), capture);
        }
    }

    @AfterAll
    static void stopBroker() throws Exception
    {
        if (null != broker)
        {
            broker.close();
        }
    }

    @Test
    void shouldAnswerForEachAgentFromTheCollectedStoreAsFromItsOwnStoreWhenThreeAgentsPublish() throws Exception
    {
        broker.createTopic("fleet", 4);
        final String topic = broker.uri("fleet");

        // the three agents publish; the first replays its capture twice, which must replace, not add
        long published = 0;
        for (final String agent : new String[]{ AGENTS[0], AGENTS[1], AGENTS[2], AGENTS[0] })
        {
            final Cli.Result replay = Cli.run("replay", "--agent", agent, "--sink", topic,
                captures.get(agent).toString());
            assertEquals(0, replay.exitCode(), replay::toString);
            assertTrue(replay.out().startsWith("Replayed 1 file into " + topic + " as agent " + agent + "\n"),
                replay::toString);
            assertEquals(scripts.get(agent).bucketCount(10), replay.figure("published"), replay::toString);
            published += records(replay);
        }
        final Path central = dir.resolve("central.db");
        final Cli.Result collect = Cli.run("collect", "--from", topic, "--db", central.toString(),
            "--until-idle", "3s");

        assertEquals(0, collect.exitCode(), collect::toString);
        assertTrue(collect.out().startsWith("Collected from " + topic + " (group traffic-collector) into " +
            central.toAbsolutePath() + "\n"), collect::toString);
        assertEquals(published, collect.figure("records"), collect::toString);
        assertEquals(0, collect.figure("bad records"), collect::toString);
        assertEquals(0, collect.figure("lag"), collect::toString);
        try (TrafficStore store = TrafficStore.open(central))
        {
            assertEquals(List.of(AGENTS), store.agents());
        }

        final Map<String, long[]> summedLocally = new TreeMap<>();
        for (final String agent : AGENTS)
        {
            final Path local = dir.resolve(agent + ".db");
            final Cli.Result replay = Cli.run("replay", "--agent", agent, "--db", local.toString(),
                captures.get(agent).toString());
            assertEquals(0, replay.exitCode(), replay::toString);

            for (final String[] query : QUERIES)
            {
                final Cli.Result direct = query(local, null, query);
                final Cli.Result collected = query(central, agent, query);
                assertEquals(withoutStoreAndAgent(direct.out()), withoutStoreAndAgent(collected.out()),
                    agent + " " + String.join(" ", query));
                assertTrue(collected.out().contains("\n  \"agent\": \"" + agent + "\",\n"), collected::toString);
                assertFalse(direct.out().contains("\"rows\": []"), direct::toString);
            }
            hostSums(query(local, null, "top", "--limit", "100", "--format", "csv").out())
                .forEach((host, sums) -> summedLocally.merge(host, sums, FleetCommandIT::add));
        }

        // without --agent, a host that several agents saw counts with the traffic of all of them
        final Map<String, long[]> central3 = hostSums(query(central, null, "top", "--limit", "100", "--format",
            "csv").out());
        assertEquals(summedLocally.keySet(), central3.keySet());
        for (final String host : summedLocally.keySet())
        {
            assertArrayEquals(summedLocally.get(host), central3.get(host), host);
        }
    }

    @Test
    void shouldCommitWhatWasAppliedAndExitWith143WhenACollectorGetsSigterm() throws Exception
    {
        broker.createTopic("sigterm", 2);
        final String topic = broker.uri("sigterm");
        final Cli.Result replay = Cli.run("replay", "--agent", AGENTS[1], "--sink", topic,
            captures.get(AGENTS[1]).toString());
        assertEquals(0, replay.exitCode(), replay::toString);
        final Path central = dir.resolve("sigterm.db");

        final Process collector = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
            "-cp", System.getProperty("java.class.path"), TrafficAnalyzerCommand.class.getName(),
            "collect", "--from", topic, "--group", "sigterm", "--db", central.toString())
            .redirectOutput(dir.resolve("sigterm.out").toFile())
            .redirectError(dir.resolve("sigterm.err").toFile())
            .start();
        final long frames = scripts.get(AGENTS[1]).frameCount();
        try
        {
            awaitFrames(central, frames, collector);
            collector.destroy();
            assertTrue(collector.waitFor(60, TimeUnit.SECONDS), "the collector did not stop on SIGTERM");
        }
        finally
        {
            collector.destroyForcibly();
        }

        final String out = Files.readString(dir.resolve("sigterm.out"), StandardCharsets.UTF_8);
        final String err = Files.readString(dir.resolve("sigterm.err"), StandardCharsets.UTF_8);
        final Cli.Result stopped = new Cli.Result(collector.exitValue(), out, err);
        assertEquals(143, stopped.exitCode(), stopped::toString);
        assertTrue(out.startsWith("Collected from " + topic + " (group sigterm) into " + central.toAbsolutePath() +
            " (stopped by a signal)\n"), stopped::toString);
        assertEquals(records(replay), stopped.figure("records"), stopped::toString);

        // the clean stop committed its offsets: the group's next run has nothing left to read
        final Cli.Result again = Cli.run("collect", "--from", topic, "--group", "sigterm", "--db",
            central.toString(), "--until-idle", "2s");
        assertEquals(0, again.exitCode(), again::toString);
        assertEquals(0, again.figure("records"), again::toString);
        try (TrafficStore store = TrafficStore.open(central))
        {
            assertEquals(frames, store.totals(Instant.EPOCH, Instant.ofEpochSecond(4_000_000_000L)).frames());
        }
    }

    private static Cli.Result query(final Path db, final String agent, final String... query)
    {
        final List<String> args = new ArrayList<>(List.of(query));
        args.addAll(List.of("--db", db.toString()));
        if (null != agent)
        {
            args.addAll(List.of("--agent", agent));
        }
        if (!args.contains("--format"))
        {
            args.addAll(List.of("--format", "json"));
        }
        final Cli.Result result = Cli.run(args.toArray(new String[0]));
        assertEquals(0, result.exitCode(), result::toString);
        return result;
    }

    // a JSON document without the lines that name the store and the agent filter: the rest must be equal
    private static String withoutStoreAndAgent(final String json)
    {
        return json.replaceFirst("\n  \"db\": \"[^\"]*\",", "").replaceFirst("\n  \"agent\": (null|\"[^\"]*\"),", "");
    }

    // host -> bytes, in bytes, out bytes, in packets, out packets from top's CSV
    private static Map<String, long[]> hostSums(final String csv)
    {
        final Map<String, long[]> hosts = new TreeMap<>();
        final String[] lines = csv.split("\r\n");
        assertEquals("host,bytes,in_bytes,out_bytes,in_packets,out_packets,bits_per_second", lines[0]);
        for (int i = 1; i < lines.length; i++)
        {
            final String[] cells = lines[i].split(",");
            final long[] sums = new long[5];
            for (int c = 0; c < sums.length; c++)
            {
                sums[c] = Long.parseLong(cells[c + 1]);
            }
            hosts.put(cells[0], sums);
        }
        assertTrue(hosts.size() >= 1, csv);
        return hosts;
    }

    private static long[] add(final long[] a, final long[] b)
    {
        final long[] sum = new long[a.length];
        for (int i = 0; i < a.length; i++)
        {
            sum[i] = a[i] + b[i];
        }
        return sum;
    }

    private static long records(final Cli.Result replay)
    {
        final Matcher matcher = RECORDS.matcher(replay.out());
        assertTrue(matcher.find(), replay::toString);
        return Long.parseLong(matcher.group(1));
    }

    // until the store holds every frame of the capture: the collector applied everything published
    private static void awaitFrames(final Path db, final long frames, final Process collector) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        long seen = -1;
        while (System.nanoTime() - deadline < 0)
        {
            assertTrue(collector.isAlive(), "the collector exited early with " + exitValue(collector));
            if (Files.exists(db))
            {
                try (TrafficStore store = TrafficStore.open(db))
                {
                    seen = store.totals(Instant.EPOCH, Instant.ofEpochSecond(4_000_000_000L)).frames();
                    if (seen == frames)
                    {
                        return;
                    }
                }
                catch (final SqliteStoreException ex)
                {
                    // being created by the collector: not a store yet
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the collector stored " + seen + " of " + frames + " frames in 90 s");
    }

    private static String exitValue(final Process process)
    {
        try
        {
            return String.valueOf(process.exitValue()) + ": " + Files.readString(dir.resolve("sigterm.err"));
        }
        catch (final IllegalThreadStateException | IOException ex)
        {
            return "?";
        }
    }
}

package io.trafficanalyzer.examples.cli;

import io.trafficanalyzer.examples.TrafficScript;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.trafficanalyzer.examples.TrafficScript.A;
import static io.trafficanalyzer.examples.TrafficScript.B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServeCommandTest
{
    @TempDir
    static Path dir;

    private static String db;
    private static Cli.Running serve;
    private static String base;

    @BeforeAll
    static void replayAndServe() throws InterruptedException
    {
        final TrafficScript script = TrafficScript.standard();
        final Path capture = dir.resolve("standard.pcap");
        script.writePcap(capture);
        db = dir.resolve("t.db").toString();
        final Cli.Result replay = Cli.run("replay", "--db", db, capture.toString());
        assertEquals(0, replay.exitCode(), replay::toString);

        serve = new Cli.Running("serve", "--db", db, "--listen", "127.0.0.1:0");
        final Pattern where = Pattern.compile("dashboard on http://127\\.0\\.0\\.1:(\\d+)/");
        for (int i = 0; i < 300 && null == base; i++)
        {
            final Matcher matcher = where.matcher(serve.err());
            if (matcher.find())
            {
                base = "http://127.0.0.1:" + matcher.group(1) + "/";
            }
            else
            {
                assertTrue(serve.isAlive(), serve::err);
                Thread.sleep(50);
            }
        }
        assertTrue(null != base, serve::err);
    }

    @AfterAll
    static void stop() throws InterruptedException
    {
        serve.interrupt();
        final Cli.Result result = serve.join();
        assertEquals(0, result.exitCode(), result::toString);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "top|api/top",
        "top --by ports|api/top?by=ports",
        "top --by peers|api/top?by=peers",
        "top --by peers --host " + A + " --limit 3|api/top?by=peers&host=" + A + "&limit=3",
        "top --by ports --host " + B + "|api/top?by=ports&host=" + B,
        "top --host " + B + "|api/top?host=" + B,
        "top --last 10s|api/top?last=10s",
        "top --from 2024-05-01T10:00:10Z --to 2024-05-01T10:00:20Z|" +
            "api/top?from=2024-05-01T10:00:10Z&to=2024-05-01T10:00:20Z",
        "report|api/report",
        "report --step 10s --host " + A + "|api/report?step=10s&host=" + A,
        "report --last 20s --step 5s|api/report?last=20s&step=5s",
        "report --from 2024-05-01T10:00:10Z|api/report?from=2024-05-01T10:00:10Z",
    })
    void shouldServeTheDocumentTheCommandPrintsWhenSameStoreAndRange(final String command, final String path)
        throws Exception
    {
        final String[] words = (command + " --db " + db + " --format json").split(" ");
        final Cli.Result cli = Cli.run(words);
        final HttpResponse<String> api = get(base + path);

        assertEquals(0, cli.exitCode(), cli::toString);
        assertEquals(200, api.statusCode(), api::body);
        assertTrue(cli.out().contains("\"rows\": [\n    {"), cli::out);
        assertEquals(cli.out(), api.body());
    }

    @Test
    void shouldNameTheParameterWhereTheCommandNamesTheOption() throws Exception
    {
        final Cli.Result cli = Cli.run("top", "--db", db, "--last", "1h", "--from", "2024-05-01");
        final HttpResponse<String> api = get(base + "api/top?last=1h&from=2024-05-01");

        assertEquals(1, cli.exitCode());
        assertEquals("error: --last cannot be combined with --from or --to\n", cli.err());
        assertEquals(400, api.statusCode());
        assertEquals("{\"error\": \"last cannot be combined with from or to\", \"parameter\": \"last\"}\n", api.body());
    }

    @Test
    void shouldRefuseAnAddressBeyondLoopbackWithoutCredentialOrNoAuth()
    {
        final Cli.Result result = Cli.run("serve", "--db", db, "--listen", "0.0.0.0:0");

        assertEquals(1, result.exitCode(), result::toString);
        assertTrue(result.err().startsWith("error: --listen=0.0.0.0:0: not a loopback address"),
            result::toString);
    }

    @Test
    void shouldRefuseAStoreThatDoesNotExist()
    {
        final Cli.Result result = Cli.run("serve", "--db", dir.resolve("missing.db").toString());

        assertEquals(1, result.exitCode(), result::toString);
        assertEquals("error: --db=" + dir.resolve("missing.db") +
            ": no such file (write one with 'replay' or 'capture')\n", result.err());
    }

    private static HttpResponse<String> get(final String url) throws IOException, InterruptedException
    {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
            HttpResponse.BodyHandlers.ofString());
    }
}

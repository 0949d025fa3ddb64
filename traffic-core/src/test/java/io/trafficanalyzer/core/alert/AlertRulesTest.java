package io.trafficanalyzer.core.alert;

import io.trafficanalyzer.core.alert.AlertRule.Direction;
import io.trafficanalyzer.core.alert.AlertRule.Metric;
import io.trafficanalyzer.core.alert.AlertRule.Subject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AlertRulesTest
{
    static final String EXAMPLE = String.join("\n",
        "# the example of docs/alerts.md",
        "action ops log",
        "action hook timeout 2s retries 3 backoff 5s webhook http://127.0.0.1:9000/alerts",
        "action page command /usr/local/bin/page \"on call\" net",
        "",
        "rule big-out host 10.0.0.5 out > 50 Mbit/s for 1m clear 40Mbit/s repeat 10m then ops,hook",
        "rule fanout hosts 10.0.0.0/24 out new-peers > 100/min for 5 m then page",
        "rule lan net 10.0.0.0/8 view ports in rate > 1Gbit/s",
        "rule drops drops > 0   # any loss",
        "rule bad malformed > 10 for 1m",
        "rule quiet hosts silent for 2m then ops");

    @TempDir
    Path dir;

    @Test
    void shouldReadEveryKindOfRuleAndActionWhenTheFileIsValid() throws Exception
    {
        final Path file = dir.resolve("alerts.rules");
        Files.writeString(file, EXAMPLE);
        final AlertRules rules = AlertRules.parse(file);

        assertEquals(6, rules.size());
        assertEquals("alerts.rules", rules.source());
        assertEquals(List.of("ops", "hook", "page"), List.copyOf(rules.actions().keySet()));

        final ActionSpec hook = rules.actions().get("hook");
        assertEquals(ActionSpec.Kind.WEBHOOK, hook.kind());
        assertEquals("http://127.0.0.1:9000/alerts", hook.url());
        assertEquals(2000, hook.timeoutMs());
        assertEquals(3, hook.retries());
        assertEquals(5000, hook.backoffMs());
        final ActionSpec page = rules.actions().get("page");
        assertEquals(List.of("/usr/local/bin/page", "on call", "net"), page.command());
        assertEquals(ActionSpec.DEFAULT_COMMAND_TIMEOUT_MS, page.timeoutMs());
        assertEquals(ActionSpec.DEFAULT_RETRIES, page.retries());

        final AlertRule bigOut = rules.rules().get(0);
        assertEquals("big-out", bigOut.name());
        assertEquals(6, bigOut.line());
        assertEquals(Subject.HOST, bigOut.subject());
        assertEquals("hosts", bigOut.view());
        assertEquals(Direction.OUT, bigOut.direction());
        assertEquals(Metric.RATE, bigOut.metric());
        assertEquals(50_000_000.0, bigOut.bound());
        assertEquals(40_000_000.0, bigOut.clear());
        assertEquals(60, bigOut.windowSeconds());
        assertEquals(600, bigOut.repeatSeconds());
        assertEquals(List.of("ops", "hook"), bigOut.actions());

        final AlertRule fanout = rules.rules().get(1);
        assertEquals(Subject.EACH_HOST, fanout.subject());
        assertEquals("10.0.0.0/24", fanout.subjectText());
        assertEquals("peers", fanout.view());
        assertEquals(Metric.NEW_PEERS, fanout.metric());
        assertEquals(100.0, fanout.bound());
        assertEquals(90.0, fanout.clear());
        assertEquals(300, fanout.windowSeconds());
        assertEquals(RuleParser.DEFAULT_REPEAT_SECONDS, fanout.repeatSeconds());

        final AlertRule lan = rules.rules().get(2);
        assertEquals(Subject.NETWORK, lan.subject());
        assertEquals("ports", lan.view());
        assertEquals(Direction.IN, lan.direction());
        assertEquals(1e9, lan.bound());
        assertEquals(0, lan.windowSeconds());
        // no "then": every action of the file
        assertEquals(List.of("ops", "hook", "page"), lan.actions());

        final AlertRule drops = rules.rules().get(3);
        assertEquals(Subject.CAPTURE, drops.subject());
        assertNull(drops.view());
        assertEquals(0.0, drops.bound());
        assertEquals(0.0, drops.clear());

        final AlertRule quiet = rules.rules().get(5);
        assertEquals(Metric.SILENT, quiet.metric());
        assertEquals(Subject.EACH_HOST, quiet.subject());
        assertEquals(120.0, quiet.bound());
        assertEquals(120, quiet.windowSeconds());
    }

    @Test
    void shouldLogWhenTheFileDefinesNoAction()
    {
        final AlertRules rules = AlertRules.parse("a.rules", "rule d drops > 0\n");
        assertEquals(List.of("log"), rules.rules().get(0).actions());
        assertEquals(ActionSpec.Kind.LOG, rules.actions().get("log").kind());
    }

    @Test
    void shouldNameTheLineWhenARuleIsBad()
    {
        assertBad("alerts.rules:3: 'outt': not a rule word (host, hosts, net, view, in, out, both, rate, new-peers, " +
            "drops, malformed, silent, >, for, clear, repeat, then)",
            "# comment", "rule a host 10.0.0.1 out > 1Mbit/s", "rule b host 10.0.0.1 outt > 1Mbit/s");
        assertBad("alerts.rules:1: > 50Xbit/s: unknown rate unit 'Xbit/s' with a unit: bit/s, kbit/s, Mbit/s, " +
            "Gbit/s (or bps, kbps, Mbps, Gbps)", "rule a host 10.0.0.1 > 50Xbit/s");
        assertBad("alerts.rules:2: host 10.0.0.300: not an IP address", "", "rule a host 10.0.0.300 > 1");
        assertBad("alerts.rules:1: for 1x: expected a duration such as 30s, 5m, 1h or 1d",
            "rule a host 10.0.0.1 > 1 for 1x");
        assertBad("alerts.rules:1: clear 60Mbit/s: must not be above the bound 50Mbit/s",
            "rule a host 10.0.0.1 > 50Mbit/s clear 60Mbit/s");
        assertBad("alerts.rules:1: drops counts frames of the whole capture: no host, hosts, net, view, in, out " +
            "or both", "rule a host 10.0.0.1 drops > 0");
        assertBad("alerts.rules:1: rate watches hosts: add host IP, hosts [CIDR] or net CIDR", "rule a rate > 1");
        assertBad("alerts.rules:1: silent needs a window: 'silent for 5m'", "rule a host 10.0.0.1 silent");
        assertBad("alerts.rules:2: rule 'a' is defined twice (first on line 1)", "rule a drops > 0",
            "rule a drops > 0");
        assertBad("alerts.rules:1: then pager: no such action (defined: log)", "rule a drops > 0 then pager",
            "action log log");
        assertBad("alerts.rules:1: rule a measures nothing: add rate, new-peers, drops, malformed or silent",
            "rule a host 10.0.0.1");
    }

    @Test
    void shouldNameTheLineWhenAnActionIsBad()
    {
        assertBad("alerts.rules:2: webhook ftp://x/y: expected an http:// or https:// URL with a host",
            "rule a drops > 0", "action h webhook ftp://x/y");
        assertBad("alerts.rules:1: command needs a program to run, such as /usr/local/bin/page-oncall",
            "action c command");
        assertBad("alerts.rules:1: retries x: expected a number from 0 to 999", "action c retries x log");
        assertBad("alerts.rules:1: action l has no kind: end it with log, webhook URL or command PROGRAM ARGS",
            "action l timeout 5s");
        assertBad("alerts.rules:2: action 'l' is defined twice", "action l log", "action l log");
        assertBad("alerts.rules:1: a quote (\") is not closed", "action c command \"/bin/x");
        assertBad("alerts.rules:1: 'alert': a line is a rule, an action, a comment (#) or blank", "alert a drops > 0");
    }

    private static void assertBad(final String message, final String... lines)
    {
        final AlertRulesException ex = assertThrows(AlertRulesException.class,
            () -> AlertRules.parse("alerts.rules", String.join("\n", lines)));
        assertEquals(message, ex.getMessage());
        assertEquals("alerts.rules", ex.source());
        assertEquals(Integer.parseInt(message.split(":")[1]), ex.line());
    }
}

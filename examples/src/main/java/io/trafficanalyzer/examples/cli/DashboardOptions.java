package io.trafficanalyzer.examples.cli;

import io.trafficanalyzer.core.ConfigurationException;
import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.web.TrafficDashboard;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The web dashboard's options shared by {@code serve} and {@code capture --http}: who may see it (a credential
 * file, or no authentication said in so many words) and TLS; and starting it with one line saying where it is.
 */
final class DashboardOptions
{
    @Option(names = "--credentials", paramLabel = "FILE",
        description = "For an address beyond loopback: a file readable by its owner only whose first line is a " +
        "bearer token, or user:password for basic auth.")
    Path credentials;

    @Option(names = "--no-auth",
        description = "Serve an address beyond loopback without a credential: anyone who reaches it sees who talks " +
        "to whom.")
    boolean noAuth;

    @Option(names = "--key-store", paramLabel = "FILE",
        description = "Serve HTTPS with the key and certificate of this PKCS#12 or JKS key store.")
    Path keyStore;

    @Option(names = "--key-store-password-file", paramLabel = "FILE",
        description = "A file whose first line is the key store's password. Default: an empty password.")
    Path keyStorePassword;

    /*
     * Parse HOST:PORT, [IPv6]:PORT or :PORT (loopback); the option's name goes into the error.
     */
    static InetSocketAddress address(final String option, final String text)
    {
        final int colon = text.lastIndexOf(':');
        if (colon < 0)
        {
            throw CliException.usage(option + "=" + text + ": expected HOST:PORT, e.g. 127.0.0.1:8080");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]"))
        {
            host = host.substring(1, host.length() - 1);
        }
        final int port;
        try
        {
            port = Integer.parseInt(text.substring(colon + 1));
        }
        catch (final NumberFormatException ex)
        {
            throw CliException.usage(option + "=" + text + ": the port must be a number from 0 to 65535");
        }
        if (port < 0 || port > 65_535)
        {
            throw CliException.usage(option + "=" + text + ": the port must be a number from 0 to 65535");
        }
        try
        {
            return new InetSocketAddress(host.isEmpty() ? InetAddress.getLoopbackAddress() :
                InetAddress.getByName(host), port);
        }
        catch (final UnknownHostException ex)
        {
            throw CliException.usage(option + "=" + text + ": unknown host " + host, ex);
        }
    }

    /*
     * capture --http: the dashboard of the store and the live view, or null without an address; a dashboard that
     * cannot start closes the analyzer (not started yet), so that the capture's source and store are released.
     */
    TrafficDashboard startIf(
        final String address, final Path store, final TrafficAnalyzer analyzer, final CommandContext context)
    {
        if (null == address)
        {
            return null;
        }
        try
        {
            return start("--http", address("--http", address), store, analyzer, context);
        }
        catch (final RuntimeException ex)
        {
            analyzer.close();
            throw ex;
        }
    }

    /*
     * Start a dashboard of the store and/or analyzer on the address and say where it is on err.
     */
    TrafficDashboard start(
        final String option,
        final InetSocketAddress listen,
        final Path store,
        final TrafficAnalyzer analyzer,
        final CommandContext context)
    {
        final TrafficDashboard dashboard;
        try
        {
            final TrafficDashboard.Builder builder = TrafficDashboard.builder()
                .listen(listen)
                .store(store)
                .analyzer(analyzer);
            if (null != credentials)
            {
                builder.credentials(credentials);
            }
            if (noAuth)
            {
                builder.noAuth();
            }
            if (null != keyStore)
            {
                builder.keyStore(keyStore, password());
            }
            dashboard = builder.build().start();
        }
        catch (final ConfigurationException ex)
        {
            final String setting = "listen".equals(ex.setting()) ? option + "=" + text(listen) :
                "--" + ex.setting().replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT) + "=" + ex.value();
            throw CliException.usage(setting + ": " + problem(ex), ex);
        }
        catch (final UncheckedIOException ex)
        {
            throw CliException.usage(
                option + "=" + text(listen) + ": cannot listen: " + ex.getCause().getMessage(), ex);
        }

        final InetSocketAddress bound = dashboard.address();
        final boolean loopback = bound.getAddress().isLoopbackAddress();
        context.err().println("dashboard on " + (dashboard.isTls() ? "https" : "http") + "://" + text(bound) + "/" +
            (loopback ? "" : null != credentials ? " (beyond loopback: credential required)" :
            " (beyond loopback, without authentication: --no-auth)"));
        context.err().flush();
        return dashboard;
    }

    private char[] password()
    {
        if (null == keyStorePassword)
        {
            return new char[0];
        }
        try
        {
            final String line = Files.readAllLines(keyStorePassword, StandardCharsets.UTF_8).stream()
                .findFirst().orElse("");
            return line.toCharArray();
        }
        catch (final IOException ex)
        {
            throw CliException.usage("--key-store-password-file=" + keyStorePassword + ": cannot read: " +
                ex.getMessage(), ex);
        }
    }

    private static String problem(final ConfigurationException ex)
    {
        final String message = ex.getMessage();
        final String head = ex.setting() + "=";
        final int colon = message.indexOf(": ", head.length());
        return message.startsWith(head) && colon > 0 ? message.substring(colon + 2) : message;
    }

    private static String text(final InetSocketAddress address)
    {
        final String host = address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}

package io.trafficanalyzer.web;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.trafficanalyzer.core.ConfigurationException;
import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.status.Logging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The read-only web dashboard of a store and, optionally, of a running analyzer: pages, the JSON API (the command
 * line's documents) and {@code /metrics} in the Prometheus text format, on the JDK's HTTP server. Start it on an
 * address of its own, or {@link #mount(HttpServer, String)} it on the embedding service's server. A non-loopback
 * address needs a credential file unless {@link Builder#noAuth()} says otherwise.
 * <pre>{@code
 * TrafficDashboard dashboard = TrafficDashboard.builder().store(Path.of("traffic.db")).analyzer(analyzer).build();
 * HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 8080), 0);
 * dashboard.mount(server, "/traffic/");
 * server.start();
 * }</pre>
 */
public final class TrafficDashboard implements AutoCloseable
{
    private static final System.Logger LOGGER = Logging.logger("io.trafficanalyzer.web");
    private static final int THREADS = 2;

    private final DashboardHandler handler;
    private final InetSocketAddress listen;
    private final Credentials credentials;
    private final boolean noAuth;
    private final SSLContext tls;
    private HttpServer ownServer;
    private ExecutorService executor;

    private TrafficDashboard(final Builder builder, final Credentials credentials, final SSLContext tls)
    {
        this.handler = new DashboardHandler(builder.store, builder.analyzer);
        this.listen = builder.listen;
        this.credentials = credentials;
        this.noAuth = builder.noAuth;
        this.tls = tls;
    }

    /**
     * A builder of a dashboard.
     *
     * @return the builder.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * Start a server of its own on the configured address, serving under {@code /}.
     *
     * @return this.
     * @throws UncheckedIOException when the address cannot be bound.
     */
    public synchronized TrafficDashboard start()
    {
        if (null != ownServer)
        {
            throw new IllegalStateException("already started");
        }

        try
        {
            final HttpServer server;
            if (null != tls)
            {
                final HttpsServer https = HttpsServer.create(listen, 0);
                https.setHttpsConfigurator(new HttpsConfigurator(tls));
                server = https;
            }
            else
            {
                server = HttpServer.create(listen, 0);
            }
            executor = Executors.newFixedThreadPool(THREADS, task ->
            {
                final Thread thread = new Thread(task, "traffic-web");
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(executor);
            mount(server, "/");
            server.start();
            ownServer = server;
        }
        catch (final IOException ex)
        {
            if (null != executor)
            {
                executor.shutdownNow();
            }
            throw new UncheckedIOException("listen=" + listen + ": cannot listen: " + ex.getMessage(), ex);
        }

        return this;
    }

    /**
     * Serve the dashboard under a path of the embedding service's own server (HTTP or HTTPS): the pages, the API
     * and {@code /metrics} all lie below it. The server's own address decides whether a credential is needed.
     *
     * @param server the service's server, started or not.
     * @param path   where to serve, e.g. {@code "/traffic/"}; {@code "/"} for the whole server.
     * @return the context created on the server.
     * @throws ConfigurationException when the server listens beyond loopback and no credential or no-auth is given.
     */
    public HttpContext mount(final HttpServer server, final String path)
    {
        final String base = path.endsWith("/") ? path : path + "/";
        if (!base.startsWith("/"))
        {
            throw new ConfigurationException("path", path, "must start with /");
        }

        final InetSocketAddress address = server.getAddress();
        final boolean loopback = null != address && address.getAddress().isLoopbackAddress();
        if (!loopback && null == credentials && !noAuth)
        {
            throw new ConfigurationException("listen", address,
                "not a loopback address: give a credentials file, or say noAuth to serve traffic data to anyone " +
                "who can reach it");
        }
        if (!loopback)
        {
            LOGGER.log(System.Logger.Level.WARNING, "traffic dashboard on " + address +
                (null != credentials ? ", credential required" : ", without authentication (noAuth)") +
                (server instanceof HttpsServer ? ", TLS" : ", plain HTTP"));
        }

        final HttpContext context = server.createContext(
            base.length() > 1 ? base.substring(0, base.length() - 1) : base, handler);
        if (null != credentials)
        {
            context.setAuthenticator(credentials);
        }
        return context;
    }

    /**
     * Where the server of its own listens, with the port it bound when 0 was asked.
     *
     * @return the address, or null when not started.
     */
    public synchronized InetSocketAddress address()
    {
        return null == ownServer ? null : ownServer.getAddress();
    }

    /**
     * Whether pages and API are served over TLS by the server of its own.
     *
     * @return true with a key store.
     */
    public boolean isTls()
    {
        return null != tls;
    }

    /**
     * Stop the server of its own, if started, and close the store.
     */
    public synchronized void close()
    {
        if (null != ownServer)
        {
            ownServer.stop(0);
            ownServer = null;
            executor.shutdownNow();
        }
        handler.close();
    }

    /**
     * Settings of a dashboard, checked by {@link #build()}.
     */
    public static final class Builder
    {
        private Path store;
        private TrafficAnalyzer analyzer;
        private InetSocketAddress listen = new InetSocketAddress("127.0.0.1", 8080);
        private Path credentialsFile;
        private boolean noAuth;
        private Path keyStore;
        private char[] keyStorePassword;

        private Builder()
        {
        }

        /**
         * The store to serve, opened read-only on first use.
         *
         * @param store the database file.
         * @return this.
         */
        public Builder store(final Path store)
        {
            this.store = store;
            return this;
        }

        /**
         * The running analyzer whose live view and counters to serve.
         *
         * @param analyzer the analyzer.
         * @return this.
         */
        public Builder analyzer(final TrafficAnalyzer analyzer)
        {
            this.analyzer = analyzer;
            return this;
        }

        /**
         * The address of the server of its own. Default: 127.0.0.1:8080.
         *
         * @param listen the address; port 0 picks a free one.
         * @return this.
         */
        public Builder listen(final InetSocketAddress listen)
        {
            this.listen = listen;
            return this;
        }

        /**
         * A file whose first line is the credential: a bearer token, or {@code user:password} for basic auth; it
         * must be readable by its owner only.
         *
         * @param file the file.
         * @return this.
         */
        public Builder credentials(final Path file)
        {
            this.credentialsFile = file;
            return this;
        }

        /**
         * Serve beyond loopback without a credential: anyone who reaches the address sees who talks to whom.
         *
         * @return this.
         */
        public Builder noAuth()
        {
            this.noAuth = true;
            return this;
        }

        /**
         * Serve over TLS with the key and certificate of a key store (PKCS#12 or JKS).
         *
         * @param file     the key store.
         * @param password its password, also the key's.
         * @return this.
         */
        public Builder keyStore(final Path file, final char[] password)
        {
            this.keyStore = file;
            this.keyStorePassword = null == password ? null : password.clone();
            return this;
        }

        /**
         * Check the settings and build the dashboard.
         *
         * @return the dashboard, not started.
         * @throws ConfigurationException naming the setting at fault.
         */
        public TrafficDashboard build()
        {
            if (null == store && null == analyzer)
            {
                throw new ConfigurationException("store", null, "give a store, an analyzer or both");
            }
            if (null == listen)
            {
                throw new ConfigurationException("listen", null, "must be an address");
            }
            if (noAuth && null != credentialsFile)
            {
                throw new ConfigurationException("noAuth", true, "cannot be combined with credentials");
            }

            final Credentials credentials = null == credentialsFile ? null : Credentials.read(credentialsFile);
            return new TrafficDashboard(this, credentials, null == keyStore ? null : tls());
        }

        private SSLContext tls()
        {
            try
            {
                final KeyStore store = KeyStore.getInstance(keyStore.toFile(), keyStorePassword);
                final KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, keyStorePassword);
                final SSLContext context = SSLContext.getInstance("TLS");
                context.init(keys.getKeyManagers(), null, null);
                return context;
            }
            catch (final IOException | GeneralSecurityException ex)
            {
                throw new ConfigurationException("keyStore", keyStore, "cannot load: " + ex.getMessage(), ex);
            }
        }
    }
}

package io.trafficanalyzer.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TlsDashboardTest
{
    @TempDir
    Path dir;

    @Test
    void shouldServeOverTlsWithTheKeyStoreAndStillAskForTheToken() throws Exception
    {
        final ReplayedStore store = new ReplayedStore(dir);
        final Path keyStore = dir.resolve("web.p12");
        final String keytoolBinary = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        final Process keytool = new ProcessBuilder(keytoolBinary,
            "-genkeypair", "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", "changeit",
            "-alias", "web", "-keyalg", "EC", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1", "-validity", "2")
            .redirectErrorStream(true).start();
        final String keytoolOutput = new String(keytool.getInputStream().readAllBytes());
        assertEquals(0, keytool.waitFor(), keytoolOutput);
        final Path token = dir.resolve("token");
        Files.writeString(token, "tls-token-1234\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));

        try (TrafficDashboard dashboard = TrafficDashboard.builder()
            .store(store.db)
            .listen(new InetSocketAddress("0.0.0.0", 0))
            .credentials(token)
            .keyStore(keyStore, "changeit".toCharArray())
            .build()
            .start())
        {
            final KeyStore trusted = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keyStore))
            {
                trusted.load(in, "changeit".toCharArray());
            }
            final TrustManagerFactory trust =
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            final SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, trust.getTrustManagers(), null);
            final HttpClient client = HttpClient.newBuilder().sslContext(tls).build();
            final URI uri = URI.create("https://127.0.0.1:" + dashboard.address().getPort() + "/api/top?limit=100");

            final HttpResponse<String> refused = client.send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString());
            final HttpResponse<String> served = client.send(HttpRequest.newBuilder(uri)
                .header("Authorization", "Bearer tls-token-1234").build(), HttpResponse.BodyHandlers.ofString());

            assertTrue(dashboard.isTls());
            assertEquals(401, refused.statusCode());
            assertEquals(200, served.statusCode(), served::body);
            assertEquals(store.hostTotals().keySet(), Http.rows(served.body(), "host").keySet());
        }
    }
}

package io.trafficanalyzer.web;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import io.trafficanalyzer.core.ConfigurationException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * The credential a non-loopback dashboard asks for, read once from a file only its owner may read: a bearer token
 * (one line), or {@code user:password} for basic auth (a browser asks for it). Compared in constant time.
 */
final class Credentials extends Authenticator
{
    private static final Set<PosixFilePermission> OTHERS = Set.of(
        PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
        PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final byte[] bearer;
    private final byte[] basic;
    private final String user;

    private Credentials(final String secret)
    {
        final int colon = secret.indexOf(':');
        if (colon > 0)
        {
            user = secret.substring(0, colon);
            bearer = null;
            basic = ("Basic " + Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)))
                .getBytes(StandardCharsets.US_ASCII);
        }
        else
        {
            user = "token";
            bearer = ("Bearer " + secret).getBytes(StandardCharsets.UTF_8);
            basic = null;
        }
    }

    /*
     * Read the first line of the file, which must be readable by its owner only where the file system says so.
     */
    static Credentials read(final Path file)
    {
        try
        {
            final PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
            if (null != posix)
            {
                final Set<PosixFilePermission> permissions = posix.readAttributes().permissions();
                for (final PosixFilePermission permission : OTHERS)
                {
                    if (permissions.contains(permission))
                    {
                        throw new ConfigurationException("credentials", file.toString(),
                            "must be readable by its owner only (chmod 600)");
                    }
                }
            }

            final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            final String secret = lines.isEmpty() ? "" : lines.get(0).strip();
            if (secret.length() < 8)
            {
                throw new ConfigurationException("credentials", file.toString(),
                    "the first line must hold a token or user:password of at least 8 characters");
            }
            return new Credentials(secret);
        }
        catch (final IOException ex)
        {
            throw new ConfigurationException("credentials", file.toString(), "cannot read it: " + ex.getMessage(), ex);
        }
    }

    public Result authenticate(final HttpExchange exchange)
    {
        final String header = exchange.getRequestHeaders().getFirst("Authorization");
        final byte[] expected = null != bearer ? bearer : basic;
        if (null != header && MessageDigest.isEqual(expected, header.strip().getBytes(StandardCharsets.UTF_8)))
        {
            return new Success(new HttpPrincipal(user, "traffic"));
        }

        exchange.getResponseHeaders().set("WWW-Authenticate",
            null != bearer ? "Bearer realm=\"traffic\"" : "Basic realm=\"traffic\", charset=\"UTF-8\"");
        return new Failure(401);
    }
}

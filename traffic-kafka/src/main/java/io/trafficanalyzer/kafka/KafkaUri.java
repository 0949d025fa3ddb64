package io.trafficanalyzer.kafka;

import io.trafficanalyzer.core.ConfigurationException;

import java.io.IOException;
import java.io.Reader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * A parsed {@code kafka://HOST:PORT[,HOST:PORT...]/TOPIC[?name=value&...]} URI: the bootstrap servers, the topic
 * ({@link KafkaSink#DEFAULT_TOPIC} when the path is empty) and the client settings, percent-decoded, with those of
 * a {@code config=FILE} properties file first and the URI's own after them.
 *
 * @param bootstrapServers the servers as Kafka's {@code bootstrap.servers} takes them.
 * @param topic            the topic.
 * @param options          client settings in the order given.
 */
record KafkaUri(String bootstrapServers, String topic, Map<String, String> options)
{
    static final String SCHEME = "kafka";
    static final String CONFIG_FILE_OPTION = "config";

    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final Pattern HOST = Pattern.compile("[a-zA-Z0-9._-]+|\\[[0-9a-fA-F:.]+]");

    static KafkaUri parse(final String uri)
    {
        final String prefix = SCHEME + "://";
        if (null == uri || !uri.regionMatches(true, 0, prefix, 0, prefix.length()))
        {
            throw new ConfigurationException("uri", uri, "must start with " + prefix);
        }

        final String rest = uri.substring(prefix.length());
        final int question = rest.indexOf('?');
        final String address = question < 0 ? rest : rest.substring(0, question);
        final int slash = address.indexOf('/');
        final String servers = slash < 0 ? address : address.substring(0, slash);
        final String path = slash < 0 ? "" : decode("topic", address.substring(slash + 1));

        final String topic = path.isEmpty() ? KafkaSink.DEFAULT_TOPIC : path;
        checkTopic(topic);
        checkServers(servers);

        final Map<String, String> options = new LinkedHashMap<>();
        if (question >= 0 && question + 1 < rest.length())
        {
            final Map<String, String> given = new LinkedHashMap<>();
            for (final String pair : rest.substring(question + 1).split("&"))
            {
                if (pair.isEmpty())
                {
                    continue;
                }
                final int equals = pair.indexOf('=');
                if (equals <= 0)
                {
                    throw new ConfigurationException(pair, "", "an option needs a name and a value: name=value");
                }
                final String name = decode(pair.substring(0, equals), pair.substring(0, equals));
                final String value = decode(name, pair.substring(equals + 1));
                if (null != given.put(name, value))
                {
                    throw new ConfigurationException(name, value, "given twice");
                }
            }

            final String file = given.remove(CONFIG_FILE_OPTION);
            if (null != file)
            {
                options.putAll(readProperties(file));
            }
            options.putAll(given);
        }

        return new KafkaUri(servers, topic, options);
    }

    static void checkTopic(final String topic)
    {
        if (!TOPIC.matcher(topic).matches() || ".".equals(topic) || "..".equals(topic))
        {
            throw new ConfigurationException("topic", topic, "must be 1 to 249 letters, digits, '.', '_' or '-'");
        }
    }

    static void checkServers(final String servers)
    {
        if (servers.isEmpty())
        {
            throw new ConfigurationException("servers", servers, "at least one HOST:PORT is required");
        }

        for (final String server : servers.split(",", -1))
        {
            final int colon = server.lastIndexOf(':');
            final String host = colon < 0 ? "" : server.substring(0, colon);
            final String port = colon < 0 ? "" : server.substring(colon + 1);
            if (!HOST.matcher(host).matches() || !isPort(port))
            {
                throw new ConfigurationException("servers", server, "must be HOST:PORT with a port from 1 to 65535");
            }
        }
    }

    private static boolean isPort(final String text)
    {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit))
        {
            return false;
        }
        final int port = Integer.parseInt(text);
        return port >= 1 && port <= 65535;
    }

    private static String decode(final String setting, final String text)
    {
        try
        {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigurationException(setting, text, "bad percent-encoding");
        }
    }

    private static Map<String, String> readProperties(final String file)
    {
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8))
        {
            properties.load(reader);
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new ConfigurationException(CONFIG_FILE_OPTION, file, "cannot read the properties file: " + ex, ex);
        }

        final Map<String, String> options = new LinkedHashMap<>();
        for (final String name : properties.stringPropertyNames())
        {
            options.put(name, properties.getProperty(name));
        }

        return options;
    }
}

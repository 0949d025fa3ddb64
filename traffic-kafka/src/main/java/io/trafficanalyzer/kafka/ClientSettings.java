package io.trafficanalyzer.kafka;

import io.trafficanalyzer.core.ConfigurationException;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Kafka client settings of a sink or a collector: checked one by one against the client's own definitions, so
 * that an unknown or invalid one is refused as {@code setting=value: reason}, then completed with this module's
 * defaults and the settings it fixes. Values of password settings never appear in messages.
 */
final class ClientSettings
{
    private static final Pattern KAFKA_MESSAGE = Pattern.compile("Invalid value .* for configuration [^:]*: ?(.*)");

    private final String client;
    private final ConfigDef definitions;
    private final Map<String, Object> values = new LinkedHashMap<>();

    /**
     * Settings of one kind of client.
     *
     * @param client      "producer" or "consumer", for messages.
     * @param definitions the client's configuration definitions.
     */
    ClientSettings(final String client, final ConfigDef definitions)
    {
        this.client = client;
        this.definitions = definitions;
    }

    /**
     * Set one setting a user gave, after checking it.
     *
     * @param name  the Kafka setting name.
     * @param value its text.
     * @return this for a fluent API.
     * @throws ConfigurationException when the name is unknown or the value invalid.
     */
    ClientSettings put(final String name, final String value)
    {
        final ConfigDef.ConfigKey key = definitions.configKeys().get(name);
        if (null == key)
        {
            throw new ConfigurationException(name, value, "unknown option: not a Kafka " + client + " setting");
        }

        final Object shown = ConfigDef.Type.PASSWORD == key.type ? "[hidden]" : value;
        try
        {
            final Object parsed = ConfigDef.parseType(name, value.trim(), key.type);
            if (null != key.validator)
            {
                key.validator.ensureValid(name, parsed);
            }
        }
        catch (final ConfigException ex)
        {
            throw new ConfigurationException(name, shown, reason(ex), ex);
        }
        values.put(name, value.trim());

        return this;
    }

    /**
     * Set every setting of a map, after checking each.
     *
     * @param settings the settings.
     * @return this for a fluent API.
     */
    ClientSettings putAll(final Map<String, String> settings)
    {
        settings.forEach(this::put);
        return this;
    }

    /**
     * Refuse a setting this module decides itself, unless it has the one value that works.
     *
     * @param name    the setting.
     * @param allowed the values accepted, compared ignoring case.
     * @param reason  why.
     */
    void requireOneOf(final String name, final Set<String> allowed, final String reason)
    {
        final Object value = values.get(name);
        if (null != value && allowed.stream().noneMatch((a) -> a.equalsIgnoreCase(String.valueOf(value))))
        {
            throw new ConfigurationException(name, value, reason);
        }
    }

    /**
     * Refuse a setting this module decides itself.
     *
     * @param name   the setting.
     * @param reason why.
     */
    void forbid(final String name, final String reason)
    {
        if (values.containsKey(name))
        {
            throw new ConfigurationException(name, values.get(name), reason);
        }
    }

    /**
     * Set a setting unless the user gave it.
     *
     * @param name  the setting.
     * @param value the default.
     */
    void putDefault(final String name, final Object value)
    {
        values.putIfAbsent(name, value);
    }

    /**
     * Set a setting whatever the user gave.
     *
     * @param name  the setting.
     * @param value the value.
     */
    void fix(final String name, final Object value)
    {
        values.put(name, value);
    }

    /**
     * A setting as a number of milliseconds.
     *
     * @param name the setting.
     * @return its value, or -1 when not set.
     */
    long millis(final String name)
    {
        final Object value = values.get(name);
        return null == value ? -1 : Long.parseLong(String.valueOf(value).trim());
    }

    /**
     * A setting's value as given or defaulted.
     *
     * @param name the setting.
     * @return the value, or null.
     */
    Object get(final String name)
    {
        return values.get(name);
    }

    /**
     * The settings to hand to the client.
     *
     * @return a copy.
     */
    Map<String, Object> toMap()
    {
        return new LinkedHashMap<>(values);
    }

    private static String reason(final ConfigException ex)
    {
        final String message = String.valueOf(ex.getMessage());
        final Matcher matcher = KAFKA_MESSAGE.matcher(message);
        final String reason = matcher.matches() ? matcher.group(1) : message;
        return reason.isEmpty() ? "invalid value" : reason;
    }
}

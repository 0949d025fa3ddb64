package io.trafficanalyzer.core;

import io.trafficanalyzer.core.text.SafeText;

/**
 * A setting of the analyzer is invalid: names the setting, its value and what is wrong with it. The message escapes
 * control characters ({@link SafeText}); {@link #value()} is as given.
 */
public final class ConfigurationException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    private final String setting;
    private final String value;

    /**
     * An invalid setting.
     *
     * @param setting the builder method's name, e.g. {@code "bucket"}.
     * @param value   the rejected value, as given.
     * @param problem what is wrong, e.g. "must be between 1 s and 1 h".
     */
    public ConfigurationException(final String setting, final Object value, final String problem)
    {
        this(setting, value, problem, null);
    }

    /**
     * An invalid setting, with the failure that revealed it.
     *
     * @param setting the builder method's name.
     * @param value   the rejected value, as given.
     * @param problem what is wrong.
     * @param cause   the underlying failure, or null.
     */
    public ConfigurationException(final String setting, final Object value, final String problem, final Throwable cause)
    {
        super(setting + "=" + SafeText.escape(value) + ": " + SafeText.escape(problem), cause);
        this.setting = setting;
        this.value = String.valueOf(value);
    }

    /**
     * The invalid setting.
     *
     * @return the builder method's name.
     */
    public String setting()
    {
        return setting;
    }

    /**
     * The rejected value as text.
     *
     * @return the value.
     */
    public String value()
    {
        return value;
    }
}

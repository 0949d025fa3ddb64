package io.trafficanalyzer.core.alert;

/**
 * Something done with each alert, raised or cleared, on a thread of its own: a sink that also implements this
 * interface stores the alerts of an analyzer with alert rules.
 * <p>
 * Called on the action's own thread, never on the pipeline's; throw to have the alert retried with back-off.
 */
@FunctionalInterface
public interface AlertAction
{
    /**
     * An alert was raised or cleared.
     *
     * @param alert the alert.
     * @throws Exception to have it retried.
     */
    void onAlert(Alert alert) throws Exception;
}

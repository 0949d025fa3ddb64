package io.trafficanalyzer.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node KRaft broker (controller and broker in one process) of the Kafka release the module is built
 * against, run as a child JVM from the test class path on free loopback ports, with its data in a directory of the
 * test's. It can be stopped and started again on the same ports and data, or killed. Public for the tests of other
 * modules (the command-line tool's fleet test), through this module's test jar.
 */
public final class KafkaBroker implements AutoCloseable
{
    private static final long START_TIMEOUT_MS = 90_000;

    private final Path directory;
    private final int port;
    private final int controllerPort;
    private Process process;

    private KafkaBroker(final Path directory, final int port, final int controllerPort)
    {
        this.directory = directory;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /**
     * Format a broker's storage in a directory and start it.
     *
     * @param directory where its configuration, data and log go.
     * @return the running broker.
     * @throws Exception when it does not start within 90 s.
     */
    public static KafkaBroker start(final Path directory) throws Exception
    {
        final int[] ports = freePorts(2);
        final KafkaBroker broker = new KafkaBroker(directory, ports[0], ports[1]);
        broker.writeConfig();
        broker.format();
        broker.startProcess();
        return broker;
    }

    /**
     * The broker's address for clients.
     *
     * @return {@code 127.0.0.1:PORT}.
     */
    public String bootstrap()
    {
        return "127.0.0.1:" + port;
    }

    /**
     * A {@code kafka://} URI of a topic on this broker.
     *
     * @param topic the topic.
     * @return the URI.
     */
    public String uri(final String topic)
    {
        return "kafka://" + bootstrap() + "/" + topic;
    }

    Admin admin()
    {
        return Admin.create(Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
    }

    /**
     * Create a topic.
     *
     * @param topic      its name.
     * @param partitions its partitions.
     * @throws Exception when the broker refuses.
     */
    public void createTopic(final String topic, final int partitions) throws Exception
    {
        try (Admin admin = admin())
        {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short)1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    void addPartitions(final String topic, final int total) throws Exception
    {
        try (Admin admin = admin())
        {
            admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(total))).all().get(30, TimeUnit.SECONDS);
        }
    }

    /*
     * SIGTERM, and wait for the broker's orderly shutdown.
     */
    void stop() throws InterruptedException
    {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    void restart() throws Exception
    {
        startProcess();
    }

    public void close() throws InterruptedException
    {
        if (null != process && process.isAlive())
        {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    private void writeConfig() throws IOException
    {
        final String config = String.join("\n",
            "process.roles=broker,controller",
            "node.id=1",
            "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
            "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
            "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
            "controller.listener.names=CONTROLLER",
            "inter.broker.listener.name=PLAINTEXT",
            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "log.dirs=" + directory.resolve("data"),
            "auto.create.topics.enable=false",
            "num.partitions=4",
            "offsets.topic.replication.factor=1",
            "offsets.topic.num.partitions=4",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "transaction.state.log.num.partitions=4",
            "group.initial.rebalance.delay.ms=0",
            "transaction.abort.timed.out.transaction.cleanup.interval.ms=2000",
            "");
        Files.writeString(directory.resolve("server.properties"), config);
    }

    private void format() throws Exception
    {
        final Process formatting = new ProcessBuilder(javaCommand(
            "kafka.tools.StorageTool", "format", "--cluster-id=" + clusterId(), "-c",
            directory.resolve("server.properties").toString()))
            .redirectErrorStream(true)
            .redirectOutput(directory.resolve("format.log").toFile())
            .start();
        if (!formatting.waitFor(60, TimeUnit.SECONDS) || 0 != formatting.exitValue())
        {
            formatting.destroyForcibly();
            throw new IllegalStateException("formatting the broker's storage failed: " +
                Files.readString(directory.resolve("format.log")));
        }
    }

    private void startProcess() throws Exception
    {
        process = new ProcessBuilder(javaCommand("kafka.Kafka", directory.resolve("server.properties").toString()))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("broker.log").toFile()))
            .start();

        final long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        Exception last = null;
        while (System.currentTimeMillis() < deadline)
        {
            if (!process.isAlive())
            {
                throw new IllegalStateException("the broker exited with " + process.exitValue() + ": " +
                    Files.readString(directory.resolve("broker.log")));
            }
            try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000)))
            {
                if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty())
                {
                    return;
                }
            }
            catch (final Exception ex)
            {
                last = ex;
            }
            Thread.sleep(250);
        }

        close();
        throw new IllegalStateException("the broker did not start within " + START_TIMEOUT_MS + " ms", last);
    }

    private List<String> javaCommand(final String mainClass, final String... args)
    {
        final List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-cp", System.getProperty("java.class.path"),
            mainClass));
        command.addAll(List.of(args));
        return command;
    }

    /*
     * A cluster id as Kafka's own random-uuid makes them: never starting with '-', which its command line would
     * read as an option.
     */
    private static String clusterId()
    {
        final UUID uuid = UUID.randomUUID();
        final java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(16)
            .putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        final String id = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
        return id.startsWith("-") ? clusterId() : id;
    }

    private static int[] freePorts(final int count) throws IOException
    {
        final ServerSocket[] sockets = new ServerSocket[count];
        final int[] ports = new int[count];
        try
        {
            for (int i = 0; i < count; i++)
            {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ports[i] = sockets[i].getLocalPort();
            }
        }
        finally
        {
            for (final ServerSocket socket : sockets)
            {
                if (null != socket)
                {
                    socket.close();
                }
            }
        }
        return ports;
    }
}

package io.trafficanalyzer.core.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The shared capture corpus (real captures, many malformed on purpose) at the directory given by the system property
 * {@code traffic.corpus.dir} or the environment variable {@code TRAFFIC_CORPUS_DIR}, with a floor per file made
 * without any code of this project: the frames libpcap reads from it and the well-formed IP packets among them
 * ({@code corpus-floors.tsv}, made by {@code traffic-core/src/test/scripts/corpus-floors.py}). Without the corpus
 * a test is skipped, or failed under CI ({@link Prerequisite}).
 */
public final class Corpus
{
    /** The table of floors, a resource beside this class. */
    public static final String FLOORS = "corpus-floors.tsv";

    private final Path directory;
    private final List<Path> files;
    private final Map<String, Floor> floors;

    private Corpus(final Path directory, final List<Path> files, final Map<String, Floor> floors)
    {
        this.directory = directory;
        this.files = files;
        this.floors = floors;
    }

    /**
     * The corpus given to this run, its files listed; skips the calling test (fails it under CI) when no corpus is
     * given, the directory does not exist, or it holds no capture.
     *
     * @return the corpus.
     * @throws IOException when the directory cannot be listed.
     */
    public static Corpus require() throws IOException
    {
        String dir = System.getProperty("traffic.corpus.dir", "");
        if (dir.isBlank())
        {
            dir = System.getenv().getOrDefault("TRAFFIC_CORPUS_DIR", "");
        }
        Prerequisite.require(!dir.isBlank(), "the capture corpus: set -Dtraffic.corpus.dir=DIR or " +
            "TRAFFIC_CORPUS_DIR=DIR (.ci/run uses ../shared/corpus)");
        final Path directory = Path.of(dir).toAbsolutePath();
        Prerequisite.require(Files.isDirectory(directory), "the capture corpus: " + directory + " is no directory");

        final List<Path> files;
        try (Stream<Path> walk = Files.walk(directory))
        {
            files = walk.filter(Files::isRegularFile)
                .filter((file) -> !file.getFileName().toString().startsWith("LICENSE"))
                .filter((file) -> !file.getFileName().toString().endsWith(".md"))
                .sorted()
                .collect(Collectors.toList());
        }
        Prerequisite.require(!files.isEmpty(), "the capture corpus: " + directory + " holds no capture file");

        return new Corpus(directory, Collections.unmodifiableList(files), readFloors());
    }

    /**
     * The directory of the corpus.
     *
     * @return an absolute path.
     */
    public Path directory()
    {
        return directory;
    }

    /**
     * Every capture file of the corpus, sorted.
     *
     * @return absolute paths.
     */
    public List<Path> files()
    {
        return files;
    }

    /**
     * The name of a file in the corpus, as the table of floors spells it.
     *
     * @param file a file of the corpus.
     * @return its path relative to the corpus directory, with '/' separators.
     */
    public String name(final Path file)
    {
        return directory.relativize(file).toString().replace('\\', '/');
    }

    /**
     * The names of the corpus files, to compare with {@link #floors()}'s keys.
     *
     * @return sorted names.
     */
    public List<String> names()
    {
        return files.stream().map(this::name).collect(Collectors.toList());
    }

    /**
     * The floor of every file the table knows, by name.
     *
     * @return sorted by name.
     */
    public Map<String, Floor> floors()
    {
        return floors;
    }

    /**
     * The floor of a file.
     *
     * @param file a file of the corpus.
     * @return its floor.
     * @throws AssertionError when the table has none: the corpus changed and the table must be made again.
     */
    public Floor floor(final Path file)
    {
        final Floor floor = floors.get(name(file));
        if (null == floor)
        {
            throw new AssertionError("no floor for " + name(file) + " in " + FLOORS + ": make the table again " +
                "with traffic-core/src/test/scripts/corpus-floors.py");
        }
        return floor;
    }

    private static Map<String, Floor> readFloors()
    {
        final Map<String, Floor> floors = new TreeMap<>();
        try (InputStream in = Corpus.class.getResourceAsStream(FLOORS))
        {
            if (null == in)
            {
                throw new IllegalStateException(FLOORS + " is not on the class path");
            }
            final BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); null != line; line = reader.readLine())
            {
                if (!line.isBlank() && !line.startsWith("#"))
                {
                    final String[] fields = line.split("\t");
                    floors.put(fields[0], new Floor(Long.parseLong(fields[1]), Long.parseLong(fields[2]), fields[3]));
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return Collections.unmodifiableMap(floors);
    }

    /**
     * What libpcap made of one file.
     *
     * @param frames frames libpcap read before the end or the damage: no reader of ours may read fewer.
     * @param ip     the well-formed IPv4 and IPv6 packets among them, by rules stricter than our decoder's: it
     *               may decode more (more link types, tags, labels, extension headers), never fewer.
     * @param ending {@code end}, {@code damage} or {@code not-opened}, as libpcap's reading ended.
     */
    public record Floor(long frames, long ip, String ending)
    {
    }
}

package io.trafficanalyzer.pcap;

import io.trafficanalyzer.core.capture.CaptureFileException;
import io.trafficanalyzer.core.capture.FrameHandler;
import io.trafficanalyzer.core.testing.Corpus;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads every file of the shared corpus of real captures (many malformed) through libpcap with both bindings: each
 * delivers the frames libpcap itself reads from the file by another route ({@link Corpus}'s floors, counted with
 * {@code pcap_next_ex} from a script), and the two deliver the same frames, byte for byte, with the same lengths,
 * link types and timestamps, and end the same way (end of file, or the same damage at the same offset), so batching
 * through {@code pcap_dump} loses or alters nothing that {@code pcap_next_ex} sees.
 */
class PcapFileCorpusTest
{
    @Test
    void shouldDeliverTheSameFramesAndEndingWithBothReadModesWhenFileFromCorpus() throws IOException
    {
        final Corpus corpus = Corpus.require();
        assertEquals(List.copyOf(corpus.floors().keySet()), corpus.names(),
            "the corpus holds exactly the files of " + Corpus.FLOORS);

        long frames = 0;
        long frameFloor = 0;
        int readToEnd = 0;
        for (final Path file : corpus.files())
        {
            final Corpus.Floor floor = corpus.floor(file);
            final Digest dispatch = read(file, PcapReadMode.DISPATCH);
            final Digest nextEx = read(file, PcapReadMode.NEXT_EX);
            assertEquals(nextEx.toString(), dispatch.toString(), file.toString());
            assertTrue(dispatch.frames >= floor.frames(), file + ": " + dispatch + "; libpcap reads " +
                floor.frames() + " frames (" + floor.ending() + ")");
            frames += dispatch.frames;
            frameFloor += floor.frames();
            readToEnd += dispatch.ending.equals("end") ? 1 : 0;
        }

        System.out.println("corpus through libpcap: " + frames + " frames, " + readToEnd + " of " +
            corpus.files().size() + " files read to their end; floor " + frameFloor + " frames");
        assertTrue(frames >= frameFloor, frames + " frames, libpcap reads " + frameFloor);
        assertTrue(readToEnd > corpus.files().size() / 2, readToEnd + " of " + corpus.files().size() +
            " files read to their end");
    }

    private static Digest read(final Path file, final PcapReadMode mode) throws IOException
    {
        final Digest digest = new Digest();
        final PcapFileSource source;
        try
        {
            source = PcapFileSource.open(file, null, mode);
        }
        catch (final CaptureFileException ex)
        {
            assertEquals(0, ex.offset());
            digest.ending = "not opened: " + ex.reason();
            return digest;
        }

        try (source)
        {
            while (!source.isEndOfStream())
            {
                source.poll(digest, 100);
            }
            digest.ending = "end";
        }
        catch (final CaptureFileException ex)
        {
            assertEquals(file, ex.file());
            assertTrue(ex.offset() > 0 && ex.offset() <= Files.size(file), ex.getMessage());
            digest.ending = "damage at " + ex.offset() + ": " + ex.reason();
        }

        return digest;
    }

    private static final class Digest implements FrameHandler
    {
        private final CRC32 crc = new CRC32();
        private byte[] bytes = new byte[65536];
        long frames;
        String ending;

        public void onFrame(
            final DirectBuffer buffer,
            final int offset,
            final int capturedLength,
            final int wireLength,
            final int linkType,
            final long timestampNs)
        {
            frames++;
            if (bytes.length < capturedLength)
            {
                bytes = new byte[capturedLength];
            }
            buffer.getBytes(offset, bytes, 0, capturedLength);
            crc.update(bytes, 0, capturedLength);
            crc.update(Long.toString(timestampNs ^ ((long)wireLength << 32) ^ linkType).getBytes());
        }

        public String toString()
        {
            return frames + " frames, crc " + crc.getValue() + ", " + ending;
        }
    }
}

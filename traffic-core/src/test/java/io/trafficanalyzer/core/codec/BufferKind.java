package io.trafficanalyzer.core.codec;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * The two kinds of memory a frame arrives in: a heap array (file reader) and off-heap memory (live capture).
 */
enum BufferKind
{
    HEAP
    {
        UnsafeBuffer allocate(final int capacity)
        {
            return new UnsafeBuffer(new byte[capacity]);
        }
    },
    DIRECT
    {
        UnsafeBuffer allocate(final int capacity)
        {
            return new UnsafeBuffer(ByteBuffer.allocateDirect(capacity));
        }
    };

    abstract UnsafeBuffer allocate(int capacity);
}

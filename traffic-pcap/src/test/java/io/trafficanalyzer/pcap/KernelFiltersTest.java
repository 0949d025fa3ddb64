package io.trafficanalyzer.pcap;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class KernelFiltersTest
{
    // classic BPF opcodes (linux/bpf_common.h), and SKF_AD_OFF
    private static final int LD_W_ABS = 0x20;
    private static final int LD_H_ABS = 0x28;
    private static final int LD_B_ABS = 0x30;
    private static final int LD_H_IND = 0x48;
    private static final int LDX_B_MSH = 0xb1;
    private static final int JEQ_K = 0x15;
    private static final int RET_K = 0x06;
    private static final int AD = -0x1000;

    @Test
    void shouldMoveLoadsToTheNetworkLayerAndHeaderFieldsToAncillaryLoadsWhenEveryLoadCanRunInTheKernel()
    {
        final UnsafeBuffer program = program(
            LD_H_ABS, 0,
            LD_W_ABS, 4,
            LD_H_ABS, 8,
            LD_B_ABS, 10,
            LD_B_ABS, 29,
            LDX_B_MSH, 20,
            LD_H_IND, 22,
            LD_W_ABS, AD + 36,
            JEQ_K, 0x0800,
            RET_K, 128);

        assertTrue(KernelFilters.toNetworkLayer(program, 20));

        // protocol, ifindex, hatype, packet type; then offsets less the 20-byte header; the rest as it was
        assertArrayEquals(
            new int[]{ AD, AD + 8, AD + 28, AD + 4, 9, 0, 2, AD + 36, 0x0800, 128 }, ks(program));
    }

    @Test
    void shouldRefuseProgramWhenItReadsHeaderBytesTheKernelCannotGive()
    {
        assertFalse(KernelFilters.toNetworkLayer(program(LD_H_ABS, 2, RET_K, 128), 20));
        assertFalse(KernelFilters.toNetworkLayer(program(LD_B_ABS, 12, RET_K, 128), 20));
        assertFalse(KernelFilters.toNetworkLayer(program(LD_H_IND, 4, RET_K, 128), 20));
    }

    private static UnsafeBuffer program(final int... codesAndKs)
    {
        final UnsafeBuffer program = new UnsafeBuffer(ByteBuffer.allocateDirect(codesAndKs.length * 4));
        for (int i = 0; i < codesAndKs.length; i += 2)
        {
            program.putShort(i * 4, (short)codesAndKs[i]);
            program.putInt(i * 4 + 4, codesAndKs[i + 1]);
        }
        return program;
    }

    private static int[] ks(final UnsafeBuffer program)
    {
        final int[] ks = new int[program.capacity() / 8];
        for (int i = 0; i < ks.length; i++)
        {
            ks[i] = program.getInt(i * 8 + 4);
        }
        return ks;
    }
}

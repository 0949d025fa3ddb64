package io.trafficanalyzer.core.codec;

/**
 * Layout of a PPPoE session header (RFC 2516) followed by the PPP protocol field (RFC 1661, values in
 * {@link PppDescriptor}).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  VER  | TYPE  |      CODE     |          SESSION_ID           |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |            LENGTH             |         PPP Protocol          |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
final class PppoeDescriptor
{
    static final int VERSION_TYPE_OFFSET = 0;
    static final int CODE_OFFSET = 1;
    static final int SESSION_ID_OFFSET = 2;
    static final int LENGTH_OFFSET = 4;
    static final int PPP_PROTOCOL_OFFSET = 6;
    static final int HEADER_LENGTH = 8;

    private PppoeDescriptor()
    {
    }
}

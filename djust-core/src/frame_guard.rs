//! [`FrameGuard`]: the size limit of inbound WebSocket messages, enforced from the frame headers
//! (RFC 6455 §5.2) before any payload is buffered.
//!
//! A WebSocket library typically buffers a frame until it is complete and only then compares
//! its length with the limit, so a client declaring a 2^40-byte frame makes the server buffer
//! whatever it sends. The guard reads the client's byte stream as it arrives, parses each frame
//! header incrementally (it never holds more than one 14-byte header) and skips payloads by
//! counting: it refuses a data frame declaring more than the limit, a fragmented message whose
//! pieces add up to more, and a control frame over 125 bytes or fragmented, as soon as the
//! header says so.

/// Largest payload of a control frame (RFC 6455 §5.5).
pub const MAX_CONTROL_PAYLOAD: u64 = 125;

/// Why the guard refuses the stream. Nothing after the refused frame's header may be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Violation {
    /// A data frame, or the pieces of one message, over the limit (close 1009).
    TooLarge,
    /// A control frame over 125 bytes or without FIN (close 1002).
    BadControlFrame,
}

/// The guard's verdict on a chunk: the first `accepted` bytes are frames (or parts of frames)
/// within the limit; the rest is the refused header and what follows. A header that began in
/// an earlier chunk had its first bytes passed on with that chunk (`accepted` is then 0): an
/// incomplete header, which a WebSocket library waits on and never acts upon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refusal {
    /// Bytes of the chunk that may be passed on.
    pub accepted: usize,
    /// What the next frame header declared.
    pub violation: Violation,
}

/// Scans a client's WebSocket byte stream chunk by chunk (see the module documentation).
#[derive(Debug, Clone)]
pub struct FrameGuard {
    max_message: u64,
    header: [u8; 14],
    /// Bytes of `header` read so far (0 while a payload is being skipped).
    have: usize,
    /// Payload bytes of the current frame still to come.
    payload_left: u64,
    /// Payload bytes of the fragmented data message in progress, if one is.
    fragments: Option<u64>,
    refused: Option<Violation>,
}

impl FrameGuard {
    /// A guard for messages of at most `max_message_bytes` payload bytes.
    pub fn new(max_message_bytes: usize) -> Self {
        Self {
            max_message: u64::try_from(max_message_bytes).unwrap_or(u64::MAX),
            header: [0; 14],
            have: 0,
            payload_left: 0,
            fragments: None,
            refused: None,
        }
    }

    /// Scans the next `chunk` of the stream. Once a chunk is refused, every later chunk is
    /// refused whole.
    pub fn scan(&mut self, chunk: &[u8]) -> Result<(), Refusal> {
        if let Some(violation) = self.refused {
            return Err(Refusal {
                accepted: 0,
                violation,
            });
        }
        let mut at = 0;
        while at < chunk.len() {
            if self.payload_left > 0 {
                let skip = usize::try_from(self.payload_left)
                    .unwrap_or(usize::MAX)
                    .min(chunk.len() - at);
                at += skip;
                self.payload_left -= skip as u64;
                continue;
            }
            let header_start = at - self.have.min(at);
            self.header[self.have] = chunk[at];
            self.have += 1;
            at += 1;
            let Some((fin, opcode, length)) = self.complete_header() else {
                continue;
            };
            self.have = 0;
            if let Err(violation) = self.admit(fin, opcode, length) {
                self.refused = Some(violation);
                return Err(Refusal {
                    accepted: header_start,
                    violation,
                });
            }
            self.payload_left = length;
        }
        Ok(())
    }

    /// The header's FIN bit, opcode and payload length once all its bytes are in.
    fn complete_header(&self) -> Option<(bool, u8, u64)> {
        let header = &self.header[..self.have];
        if header.len() < 2 {
            return None;
        }
        let masked = header[1] & 0x80 != 0;
        let (length_bytes, short) = match header[1] & 0x7f {
            126 => (2, None),
            127 => (8, None),
            short => (0, Some(u64::from(short))),
        };
        let total = 2 + length_bytes + if masked { 4 } else { 0 };
        if header.len() < total {
            return None;
        }
        let length = short.unwrap_or_else(|| {
            header[2..2 + length_bytes]
                .iter()
                .fold(0_u64, |length, &byte| (length << 8) | u64::from(byte))
        });
        Some((header[0] & 0x80 != 0, header[0] & 0x0f, length))
    }

    /// Checks one frame header against the limits and tracks fragmented messages.
    fn admit(&mut self, fin: bool, opcode: u8, length: u64) -> Result<(), Violation> {
        if length > i64::MAX as u64 {
            return Err(Violation::TooLarge); // RFC 6455: the top bit must be zero
        }
        if opcode >= 8 {
            return if fin && length <= MAX_CONTROL_PAYLOAD {
                Ok(())
            } else {
                Err(Violation::BadControlFrame)
            };
        }
        // A continuation adds to the message in progress; any other data frame starts one
        // (the WebSocket library refuses an out-of-order continuation or opcode).
        let so_far = if opcode == 0 {
            self.fragments.unwrap_or(0)
        } else {
            0
        };
        let total = so_far.saturating_add(length);
        if total > self.max_message {
            return Err(Violation::TooLarge);
        }
        self.fragments = (!fin).then_some(total);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A masked client frame header (the mask key is zero; the guard never unmasks).
    fn header(fin: bool, opcode: u8, length: u64) -> Vec<u8> {
        let mut bytes = vec![if fin { 0x80 } else { 0 } | opcode];
        match length {
            0..=125 => bytes.push(0x80 | length as u8),
            126..=0xffff => {
                bytes.push(0x80 | 126);
                bytes.extend_from_slice(&(length as u16).to_be_bytes());
            }
            _ => {
                bytes.push(0x80 | 127);
                bytes.extend_from_slice(&length.to_be_bytes());
            }
        }
        bytes.extend_from_slice(&[0; 4]);
        bytes
    }

    fn frame(fin: bool, opcode: u8, length: usize) -> Vec<u8> {
        let mut bytes = header(fin, opcode, length as u64);
        bytes.resize(bytes.len() + length, b'x');
        bytes
    }

    #[test]
    fn frames_within_the_limit_pass_in_any_chunking() {
        let mut stream = frame(true, 1, 100);
        stream.extend(frame(true, 9, 4));
        stream.extend(frame(false, 1, 60));
        stream.extend(frame(true, 0, 40));
        for size in [1, 2, 7, 13, stream.len()] {
            let mut guard = FrameGuard::new(100);
            for chunk in stream.chunks(size) {
                assert_eq!(guard.scan(chunk), Ok(()), "chunks of {size}");
            }
        }
    }

    #[test]
    fn a_declared_length_over_the_limit_is_refused_at_its_header() {
        let mut stream = frame(true, 1, 10);
        let start = stream.len();
        stream.extend(header(true, 1, 1 << 40));
        stream.extend([b'x'; 64]);
        let mut guard = FrameGuard::new(100);
        let refusal = guard.scan(&stream).unwrap_err();
        assert_eq!(refusal.accepted, start);
        assert_eq!(refusal.violation, Violation::TooLarge);
        assert_eq!(guard.scan(b"more").unwrap_err().accepted, 0);
    }

    #[test]
    fn a_header_split_over_chunks_is_refused_at_its_first_byte() {
        let mut guard = FrameGuard::new(100);
        let head = header(true, 2, 101);
        assert_eq!(guard.scan(&head[..1]), Ok(()));
        let refusal = guard.scan(&head[1..]).unwrap_err();
        assert_eq!(refusal.accepted, 0);
        assert_eq!(refusal.violation, Violation::TooLarge);
    }

    #[test]
    fn fragments_add_up_and_control_frames_between_them_do_not_count() {
        let mut stream = frame(false, 1, 60);
        stream.extend(frame(true, 10, 125));
        let start = stream.len();
        stream.extend(frame(true, 0, 41));
        let refusal = FrameGuard::new(100).scan(&stream).unwrap_err();
        assert_eq!(
            (refusal.accepted, refusal.violation),
            (start, Violation::TooLarge)
        );
    }

    #[test]
    fn a_new_message_starts_a_new_count() {
        let mut stream = frame(true, 1, 100);
        stream.extend(frame(false, 1, 100));
        stream.extend(frame(true, 0, 0));
        assert_eq!(FrameGuard::new(100).scan(&stream), Ok(()));
    }

    #[test]
    fn oversized_or_fragmented_control_frames_are_refused() {
        for head in [header(true, 9, 126), header(false, 8, 2)] {
            let refusal = FrameGuard::new(1 << 20).scan(&head).unwrap_err();
            assert_eq!(refusal.violation, Violation::BadControlFrame);
        }
    }

    #[test]
    fn a_length_with_the_top_bit_set_is_too_large() {
        let refusal = FrameGuard::new(usize::MAX).scan(&header(true, 1, u64::MAX));
        assert_eq!(refusal.unwrap_err().violation, Violation::TooLarge);
    }
}

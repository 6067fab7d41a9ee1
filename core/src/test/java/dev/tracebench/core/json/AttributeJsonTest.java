package dev.tracebench.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.AttributeValue;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttributeJsonTest {

    @Test
    void everyAnyValueKindRoundTripsWithItsType() {
        List<Attribute> in = List.of(
                Attribute.of("s", "text with \"quotes\", \\ and\nnewline"),
                Attribute.of("i", 9_007_199_254_740_993L), // beyond double precision: must stay exact
                Attribute.of("d", 1.0),
                Attribute.of("neg", -0.25),
                Attribute.of("b", true),
                new Attribute("bytes", new AttributeValue.Bytes(new byte[] {0, 1, 2, (byte) 0xff})),
                new Attribute("arr", new AttributeValue.Array(List.of(new AttributeValue.Str("a"),
                        new AttributeValue.Int(2), new AttributeValue.Dbl(3.5), new AttributeValue.Bool(false)))),
                new Attribute("kv", new AttributeValue.KvList(List.of(Attribute.of("inner", 1L),
                        new Attribute("nested", new AttributeValue.KvList(List.of(Attribute.of("deep", "x"))))))),
                new Attribute("nan", new AttributeValue.Dbl(Double.NaN)),
                new Attribute("inf", new AttributeValue.Dbl(Double.NEGATIVE_INFINITY)),
                new Attribute("empty", new AttributeValue.Empty()),
                new Attribute("dollar", new AttributeValue.KvList(List.of(Attribute.of("$bytes", "not bytes")))),
                Attribute.of("unicode", "grüße 🌍"));
        List<Attribute> out = AttributeJson.decode(AttributeJson.encode(in));
        assertEquals(in.size(), out.size());
        for (int i = 0; i < in.size(); i++) {
            assertEquals(in.get(i).key(), out.get(i).key());
            assertEquals(in.get(i).value().typeName(), out.get(i).value().typeName(), in.get(i).key());
        }
        assertEquals(in.get(0), out.get(0));
        assertEquals(9_007_199_254_740_993L, ((AttributeValue.Int) out.get(1).value()).value());
        assertEquals(1.0, ((AttributeValue.Dbl) out.get(2).value()).value());
        assertArrayEquals(new byte[] {0, 1, 2, (byte) 0xff}, ((AttributeValue.Bytes) out.get(5).value()).value());
        assertEquals(in.get(6), out.get(6));
        assertEquals(in.get(7), out.get(7));
        assertTrue(Double.isNaN(((AttributeValue.Dbl) out.get(8).value()).value()));
        assertEquals(Double.NEGATIVE_INFINITY, ((AttributeValue.Dbl) out.get(9).value()).value());
        assertInstanceOf(AttributeValue.Empty.class, out.get(10).value());
        assertEquals(in.get(11), out.get(11), "a kvlist whose key looks like a tag must not be read as the tag");
        assertEquals(in.get(12), out.get(12));
    }

    @Test
    void doublesAlwaysLookLikeDoublesAndIntsLikeInts() {
        String json = AttributeJson.encode(List.of(Attribute.of("d", 2.0), Attribute.of("i", 2L)));
        assertEquals("{\"d\":2.0,\"i\":2}", json);
    }

    @Test
    void repeatedKeysKeepTheFirstValue() {
        List<Attribute> in = List.of(Attribute.of("k", "first"), Attribute.of("other", 1L),
                Attribute.of("k", "second"));
        assertEquals(1, AttributeJson.duplicateKeys(in));
        assertEquals("{\"k\":\"first\",\"other\":1}", AttributeJson.encode(in));
    }

    @Test
    void controlCharactersAndLoneSurrogatesProduceValidJson() {
        String json = AttributeJson.encode(List.of(Attribute.of("c", "a\u0001b\ud800c")));
        assertEquals("{\"c\":\"a\\u0001b\uFFFDc\"}", json);
        assertEquals("a\u0001b\uFFFDc", ((AttributeValue.Str) AttributeJson.decode(json).get(0).value()).value());
    }

    /**
     * The UTF-8 encoder (the import's path; long ASCII texts take a word-at-a-time shortcut) writes exactly what the
     * text encoder writes: every character that needs escaping, at every position of a long text and in its tail.
     */
    @Test
    void theUtf8EncoderWritesWhatTheTextEncoderWrites() {
        Utf8Buffer scratch = new Utf8Buffer(16);
        String[] specials = {"\"", "\\", "\n", "\u0000", "\u001f", "\u007f", "é", "日", "\ud83d\ude00", "\ud800", " "};
        int checked = 0;
        for (int length = 0; length <= 70; length++) {
            String plain = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-_/:.,;!?".substring(0, length);
            for (int at = 0; at <= length; at++) {
                for (String special : specials) {
                    String text = plain.substring(0, at) + special + plain.substring(at);
                    List<Attribute> attrs = List.of(Attribute.of("k", text));
                    String viaUtf8 = new String(AttributeJson.encodeUtf8(attrs, scratch),
                            java.nio.charset.StandardCharsets.UTF_8);
                    assertEquals(AttributeJson.encode(attrs), viaUtf8, text);
                    checked++;
                }
            }
            List<Attribute> attrs = List.of(Attribute.of("k", plain));
            assertEquals("{\"k\":\"" + plain + "\"}", new String(AttributeJson.encodeUtf8(attrs, scratch),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
        assertEquals(71 * 72 / 2 * specials.length, checked);
    }

    /**
     * Large values (longer than the encoder's chunk, with escapes, multi-byte characters and surrogate pairs at and
     * around the chunk boundaries, large bytes): counting gives the exact encoded size, and a buffer of exactly that
     * size receives the same bytes as the growing scratch buffer, without growing.
     */
    @Test
    void largeValuesAreCountedExactlyAndEncodedIntoABufferOfThatSize() {
        int chunk = Utf8Buffer.CHUNK;
        StringBuilder mixed = new StringBuilder();
        while (mixed.length() < 3 * chunk + 100) {
            mixed.append("plain text, then \"quoted\" \\ back\nslash é 日本 \ud83d\ude00 \u0001 ");
        }
        byte[] blob = new byte[5 * chunk + 7];
        for (int i = 0; i < blob.length; i++) {
            blob[i] = (byte) (i * 31);
        }
        List<List<Attribute>> cases = List.of(
                List.of(Attribute.of("ascii", "x".repeat(3 * chunk + 5))),
                List.of(Attribute.of("mixed", mixed.toString()), Attribute.of("n", 7L)),
                // a surrogate pair exactly across a chunk boundary, a lone surrogate at the end
                List.of(Attribute.of("pair", "a".repeat(chunk - 1) + "\ud83d\ude00" + "b".repeat(chunk) + "\ud800")),
                List.of(new Attribute("blob", new AttributeValue.Bytes(blob)), Attribute.of("small", "s")),
                List.of(Attribute.of("k", "v"), Attribute.of("k", "y".repeat(2 * chunk))));
        Utf8Buffer scratch = new Utf8Buffer(16);
        for (List<Attribute> attrs : cases) {
            byte[] expected = AttributeJson.encodeUtf8(attrs, scratch);
            assertEquals(AttributeJson.encode(attrs), new String(expected, java.nio.charset.StandardCharsets.UTF_8));
            Utf8Buffer counter = Utf8Buffer.counting();
            AttributeJson.encodeUtf8Into(attrs, counter);
            assertEquals(expected.length, counter.total(), attrs.get(0).key());
            Utf8Buffer exact = Utf8Buffer.exactly(expected.length);
            AttributeJson.encodeUtf8Into(attrs, exact);
            assertArrayEquals(expected, exact.takeExact(), attrs.get(0).key());
            assertEquals(scratch.duplicateKeys(), exact.duplicateKeys());
        }
        assertArrayEquals(blob, ((AttributeValue.Bytes) AttributeJson.decode(new String(AttributeJson.encodeUtf8(
                cases.get(3), scratch), java.nio.charset.StandardCharsets.UTF_8)).get(0).value()).value());
        assertEquals(3 * chunk + 5, AttributeJson.textLength(cases.get(0)));
    }

    @Test
    void displayShowsArraysAndListsReadably() {
        AttributeValue arr = new AttributeValue.Array(List.of(new AttributeValue.Str("stop")));
        assertEquals("[\"stop\"]", arr.display());
        assertEquals("string[]", arr.typeName());
        AttributeValue kv = new AttributeValue.KvList(List.of(Attribute.of("a", 1L)));
        assertEquals("{a: 1}", kv.display());
    }
}

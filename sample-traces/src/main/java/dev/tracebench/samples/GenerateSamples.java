package dev.tracebench.samples;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Regenerates the checked-in sample files. Run from the repository root:
 * {@code java -cp sample-traces/target/classes:<jackson-core.jar> dev.tracebench.samples.GenerateSamples}
 * (the sample-traces test checks that the checked-in file equals what this writes).
 */
public final class GenerateSamples {
    private GenerateSamples() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "sample-traces/src/main/resources/dev/tracebench/samples");
        Path file = dir.resolve(SampleFiles.RAG_ASSISTANT);
        try (OutputStream out = Files.newOutputStream(file)) {
            RagTrafficGenerator.Summary s = writeRagAssistant(out);
            System.out.println(file + ": " + s);
        }
    }

    /** Writes the default RAG-assistant sample, gzip-compressed, exactly as it is checked in. */
    public static RagTrafficGenerator.Summary writeRagAssistant(OutputStream out) throws IOException {
        GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16);
        BufferedOutputStream buf = new BufferedOutputStream(gz, 1 << 16);
        RagTrafficGenerator.Summary s = new RagTrafficGenerator(RagTrafficGenerator.Options.sample()).write(buf);
        buf.flush();
        gz.finish();
        return s;
    }
}

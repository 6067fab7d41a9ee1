package dev.tracebench.app;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;

/**
 * The class loader the application runs in, so that DuckDB's native library is extracted once under the Tracebench
 * home instead of once per process into the temp folder.
 *
 * <p>DuckDB's JDBC driver ({@code org.duckdb.DuckDBNative}, 2.0.0.1) copies its 70 MB library out of its jar into
 * {@code java.io.tmpdir} each time a JVM loads it; a normal exit deletes the copy, a killed or crashed process leaves
 * it behind. The driver has no setting for a library elsewhere: it looks for the library as a resource of its class
 * loader first, and only when there is none calls {@code System.loadLibrary("duckdb_java")}. This loader hides that
 * resource and answers the {@code loadLibrary} ({@link #findLibrary}) with
 * {@code <home>/native/<resource>-<crc32>/libduckdb_java.so}, copied from the driver's jar the first time (to a
 * temporary name, then renamed, so that concurrent first runs are safe) and checked against its CRC.
 *
 * <p>The application's classes are loaded here, not by the JVM's class-path loader (this loader's parent is the
 * platform loader): the driver's classes must see this loader as theirs. Where anything of this does not work out
 * (the library is not in a jar, the home is not writable), the driver's own way is used.
 */
final class NativeLibraryClassLoader extends URLClassLoader {
    private static final String RESOURCE_PREFIX = "libduckdb_java.so";
    private final Path home;
    /** The library resource the driver asked for (named after the platform, e.g. {@code libduckdb_java.so_linux_amd64}). */
    private volatile String requested;

    static {
        registerAsParallelCapable();
    }

    private NativeLibraryClassLoader(URL[] classPath, Path home) {
        super("tracebench", classPath, ClassLoader.getPlatformClassLoader());
        this.home = home;
    }

    /**
     * Runs {@code mainClass.main(args)} again inside this loader, unless it is already running in it; returns false
     * then (the caller goes on). The JVM exits when that main returns, as it would have.
     */
    static boolean relaunch(Class<?> mainClass, String[] args) {
        if (mainClass.getClassLoader() != ClassLoader.getSystemClassLoader()) {
            return false; // already in here (or embedded somewhere else: leave it alone)
        }
        NativeLibraryClassLoader loader;
        java.lang.reflect.Method main;
        try {
            loader = new NativeLibraryClassLoader(classPath(), AppHome.fromEnvironment().home());
            main = loader.loadClass(mainClass.getName()).getMethod("main", String[].class);
            // the driver registers itself with JDBC from here, now (JDBC would otherwise look for drivers through
            // the context class loader of the first thread to connect, which may not be this one)
            Class.forName("org.duckdb.DuckDBDriver", true, loader);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false; // an unusual class path: run as is, with the driver's own extraction
        }
        Thread.currentThread().setContextClassLoader(loader);
        try {
            main.invoke(null, (Object) args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        return true;
    }

    private static URL[] classPath() {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                try {
                    urls.add(Path.of(entry).toUri().toURL());
                } catch (MalformedURLException e) {
                    throw new IllegalStateException("class path entry " + entry, e);
                }
            }
        }
        return urls.toArray(new URL[0]);
    }

    @Override
    public URL findResource(String name) {
        if (name.startsWith(RESOURCE_PREFIX) && !name.contains("/")) {
            requested = name;
            return null;
        }
        return super.findResource(name);
    }

    @Override
    public Enumeration<URL> findResources(String name) throws IOException {
        if (name.startsWith(RESOURCE_PREFIX) && !name.contains("/")) {
            return Collections.emptyEnumeration();
        }
        return super.findResources(name);
    }

    @Override
    protected String findLibrary(String libname) {
        String resource = requested;
        if (!"duckdb_java".equals(libname) || resource == null) {
            return super.findLibrary(libname);
        }
        URL url = super.findResource(resource);
        if (url == null) {
            return null;
        }
        try {
            return extractOnce(url, resource).toString();
        } catch (IOException e) {
            // the home cannot hold it: extract it for this process only, as the driver itself would
            try {
                Path temp = Files.createTempFile("libduckdb_java", ".so");
                temp.toFile().deleteOnExit();
                try (InputStream in = url.openStream()) {
                    Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
                }
                return temp.toString();
            } catch (IOException again) {
                return null;
            }
        }
    }

    /** {@code <home>/native/<resource>-<crc32>/libduckdb_java.so}, copied from {@code url} unless it is there. */
    private Path extractOnce(URL url, String resource) throws IOException {
        URLConnection connection = url.openConnection();
        if (!(connection instanceof JarURLConnection jar)) {
            throw new IOException("not in a jar: " + url);
        }
        long crc = jar.getJarEntry().getCrc();
        long size = jar.getJarEntry().getSize();
        if (crc < 0 || size < 0) {
            throw new IOException("no checksum for " + url);
        }
        Path dir = home.resolve("native").resolve(resource + "-" + Long.toHexString(crc));
        Path library = dir.resolve("libduckdb_java.so");
        if (Files.isRegularFile(library) && Files.size(library) == size) {
            return library;
        }
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "libduckdb_java", ".partial");
        try {
            CRC32 check = new CRC32();
            try (InputStream in = new CheckedInputStream(connection.getInputStream(), check)) {
                Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
            }
            if (check.getValue() != crc || Files.size(temp) != size) {
                throw new IOException("the copy of " + resource + " does not match the jar");
            }
            temp.toFile().setExecutable(true);
            try {
                Files.move(temp, library, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                // another process was quicker, on a platform that does not replace a file in use: use its copy
                if (!Files.isRegularFile(library) || Files.size(library) != size) {
                    throw e;
                }
            }
            return library;
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}

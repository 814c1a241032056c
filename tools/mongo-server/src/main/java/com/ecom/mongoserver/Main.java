package com.ecom.mongoserver;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs mongo-java-server on one port: H2 file backend under --data (keeps data across restarts),
 * or the memory backend with --memory (tests). Prints "listening HOST:PORT" once it accepts
 * connections so a launcher can wait for that line instead of polling.
 */
public final class Main {
  private static final String USAGE =
      "usage: mongo-server [--host 127.0.0.1] [--port 27017 (0 = any free port)] (--data DIR | --memory)"
          + " [--exit-with-stdin]";

  private record Options(String host, int port, Path dataDir, boolean memory, boolean exitWithStdin) {}

  public static void main(String[] args) throws IOException {
    // Before any logger exists: the library logs every connection at INFO.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");

    Options options = parse(args);
    MongoBackend backend = options.memory() ? LookupBackends.memory() : openH2(options.dataDir());
    // mongoose 8 (MongoDB driver 6) refuses servers that report a wire version below 8.
    backend.version(ServerVersion.MONGO_5_0);

    MongoServer server = new MongoServer(new SnapshotBackend(backend));
    try {
      server.bind(options.host(), options.port());
    } catch (Exception e) {
      // Netty rethrows the checked BindException undeclared, and its threads would keep a server that cannot
      // listen alive: say why and leave.
      System.err.println("mongo-server: cannot listen on " + options.host() + ":" + options.port() + ": " + e);
      server.shutdownNow();
      System.exit(1);
    }
    // shutdown() also closes the backend, which commits and closes the H2 store.
    Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown, "mongo-server-shutdown"));

    InetSocketAddress address = server.getLocalAddress();
    System.out.println("listening " + options.host() + ":" + address.getPort());
    System.out.flush();

    if (options.exitWithStdin()) watchStdin();
  }

  /** A launcher that dies without stopping us closes our stdin; exiting then leaves no orphan behind. */
  private static void watchStdin() {
    Thread watcher =
        new Thread(
            () -> {
              try {
                while (System.in.read() != -1) {
                  // input carries no meaning; only its end does
                }
              } catch (IOException ignored) {
                // a broken pipe means the same as end of input
              }
              System.exit(0);
            },
            "stdin-watch");
    watcher.setDaemon(true);
    watcher.start();
  }

  private static MongoBackend openH2(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    return LookupBackends.h2(dataDir.resolve("mongo.mv.db").toString());
  }

  private static Options parse(String[] args) {
    String host = "127.0.0.1";
    int port = 27017;
    Path dataDir = null;
    boolean memory = false;
    boolean exitWithStdin = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--host" -> host = value(args, ++i);
        case "--port" -> port = parsePort(value(args, ++i));
        case "--data" -> dataDir = Path.of(value(args, ++i));
        case "--memory" -> memory = true;
        case "--exit-with-stdin" -> exitWithStdin = true;
        case "--help", "-h" -> {
          System.out.println(USAGE);
          System.exit(0);
        }
        default -> fail("unknown argument " + args[i]);
      }
    }
    if (memory == (dataDir != null)) fail("give exactly one of --data DIR or --memory");
    return new Options(host, port, dataDir, memory, exitWithStdin);
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) fail(args[i - 1] + " needs a value");
    return args[i];
  }

  private static int parsePort(String text) {
    try {
      int port = Integer.parseInt(text);
      if (port >= 0 && port <= 65535) return port;
    } catch (NumberFormatException ignored) {
      // falls through to the same message as an out-of-range number
    }
    fail("--port must be a number from 0 to 65535, got " + text);
    return -1;
  }

  private static void fail(String message) {
    System.err.println("mongo-server: " + message);
    System.err.println(USAGE);
    System.exit(2);
  }
}

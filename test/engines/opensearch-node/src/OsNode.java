// A single OpenSearch 2.19 node for splade-ts's engine tests, embedded through org.opensearch.node.Node with the
// modules the tests need as classpath plugins: HTTP (transport-netty4's Netty4Plugin) and rank_features
// (mapper-extras' MapperExtrasPlugin). Node's protected constructor takes plugin classes in 2.19 (PluginInfo
// only from 3.x). No bootstrap checks run when Node is constructed directly.
// Built from Maven Central jars only (pom.xml beside this file). Usage: java -Xmx512m -cp "classes:lib/*" OsNode
// <path.home> <http.port> <transport.port> [--exit-with-stdin]. Prints "READY <http.port>" once the node listens;
// stops on SIGTERM, and with --exit-with-stdin also when its standard input closes (the test process that
// started it died), so that no node outlives its tests.
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.index.mapper.MapperExtrasPlugin;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

public class OsNode {
  static final class EmbeddedNode extends Node {
    EmbeddedNode(Environment environment, Collection<Class<? extends Plugin>> plugins) {
      super(environment, plugins, true);
    }
  }

  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[0]).toAbsolutePath();
    String httpPort = args[1];
    String transportPort = args[2];
    Files.createDirectories(home.resolve("config"));
    Settings settings = Settings.builder()
        .put("path.home", home.toString())
        .put("path.data", home.resolve("data").toString())
        .put("path.logs", home.resolve("logs").toString())
        .put("cluster.name", "splade-ts-test")
        .put("node.name", "node-0")
        .put("discovery.type", "single-node")
        .put("network.host", "127.0.0.1")
        .put("http.port", httpPort)
        .put("transport.port", transportPort)
        .put("cluster.routing.allocation.disk.threshold_enabled", false)
        .put("action.auto_create_index", false)
        .build();
    Environment environment = InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), null, () -> "node-0");
    Node node = new EmbeddedNode(environment, List.of(Netty4Plugin.class, MapperExtrasPlugin.class));
    // OpenSearch's threads are daemons: main waits on this latch (as Bootstrap's keep-alive thread does) until
    // the shutdown hook has closed the node.
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        node.close();
      } catch (Exception ignored) {
        // shutting down anyway
      } finally {
        stopped.countDown();
      }
    }));
    node.start();
    if (args.length > 3 && args[3].equals("--exit-with-stdin")) {
      Thread watchdog = new Thread(() -> {
        try {
          while (System.in.read() != -1) {
            // keep reading until the parent closes the pipe
          }
        } catch (Exception ignored) {
          // treat a broken pipe as closed
        }
        System.exit(0);
      }, "stdin-watchdog");
      watchdog.setDaemon(true);
      watchdog.start();
    }
    System.out.println("READY " + httpPort);
    System.out.flush();
    stopped.await();
  }
}

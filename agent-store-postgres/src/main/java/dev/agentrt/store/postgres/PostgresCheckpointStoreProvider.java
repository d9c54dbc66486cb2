package dev.agentrt.store.postgres;

import dev.agentrt.core.manifest.CheckpointSpec;
import dev.agentrt.core.manifest.ManifestException;
import dev.agentrt.core.manifest.ManifestProblem;
import dev.agentrt.core.manifest.Manifests;
import dev.agentrt.core.manifest.Secret;
import dev.agentrt.core.spi.CheckpointStore;
import dev.agentrt.core.spi.CheckpointStoreProvider;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Provides the {@code postgres} checkpoint store to {@code AgentRuntime} through {@link
 * java.util.ServiceLoader}: {@code checkpoint: {store: postgres, url:
 * jdbc:postgresql://db:5432/agentrt, user: agentrt, password: ${env:AGENTRT_DB_PASSWORD},
 * lease_ttl: 15s}} in {@code config.yml}. {@code url} is required; {@code user} and {@code
 * password} are optional (the URL's, or the driver's defaults); {@code lease_ttl} is {@link
 * PostgresStoreOptions#leaseTtl()} (10 ms to 1 day). {@code path} and {@code synchronous} belong to
 * the SQLite store and are refused here: PostgreSQL commits as the server's {@code
 * synchronous_commit} says.
 *
 * @since 0.1
 */
public final class PostgresCheckpointStoreProvider implements CheckpointStoreProvider {

  /** Called by {@link java.util.ServiceLoader}. */
  public PostgresCheckpointStoreProvider() {}

  /** {@code postgres}. */
  @Override
  public String name() {
    return "postgres";
  }

  /**
   * {@inheritDoc}
   *
   * @throws ManifestException if {@code checkpoint.url} is missing or not a PostgreSQL JDBC URL,
   *     {@code checkpoint.lease_ttl} is out of range, or a key of the SQLite store is set
   * @throws dev.agentrt.core.CheckpointStoreException if the database cannot be reached
   */
  @Override
  public CheckpointStore open(Manifests manifests, Path configDir) {
    return open(manifests, configDir, Clock.systemUTC());
  }

  /**
   * {@inheritDoc} The clock is the store's {@link PostgresStoreOptions#clock()} (leases, status
   * updates, pruning).
   *
   * @throws ManifestException if {@code checkpoint.url} is missing or not a PostgreSQL JDBC URL,
   *     {@code checkpoint.lease_ttl} is out of range, or a key of the SQLite store is set
   * @throws dev.agentrt.core.CheckpointStoreException if the database cannot be reached
   */
  @Override
  public CheckpointStore open(Manifests manifests, Path configDir, Clock clock) {
    return PostgresCheckpointStore.open(options(manifests.config().checkpoint(), clock));
  }

  /** The options {@code spec} describes, every problem of it reported together. */
  static PostgresStoreOptions options(@Nullable CheckpointSpec spec, Clock clock) {
    List<ManifestProblem> problems = new ArrayList<>();
    if (spec == null || spec.url() == null || spec.url().isBlank()) {
      problems.add(
          problem(
              "checkpoint.url: required by store 'postgres' (the JDBC URL of the database, such"
                  + " as url: jdbc:postgresql://localhost:5432/agentrt)"));
    }
    if (spec != null && spec.path() != null) {
      problems.add(
          problem(
              "checkpoint.path: applies to the sqlite store only; store 'postgres' keeps runs in"
                  + " the database of checkpoint.url (remove path)"));
    }
    if (spec != null && spec.synchronous() != null) {
      problems.add(
          problem(
              "checkpoint.synchronous: applies to the sqlite store only; store 'postgres' commits"
                  + " as the server's synchronous_commit setting says (remove synchronous)"));
    }
    PostgresStoreOptions.Builder b = null;
    if (spec != null && spec.url() != null && !spec.url().isBlank()) {
      try {
        b = PostgresStoreOptions.builder(spec.url());
      } catch (IllegalArgumentException e) {
        problems.add(problem("checkpoint.url: " + e.getMessage().replaceFirst("^url ", "")));
      }
    }
    if (spec != null && spec.leaseTtl() != null) {
      try {
        PostgresStoreOptions.builder("jdbc:postgresql:").leaseTtl(spec.leaseTtl());
      } catch (IllegalArgumentException e) {
        problems.add(
            problem(
                "checkpoint.lease_ttl: must be between 10ms and 1 day, was " + spec.leaseTtl()));
      }
    }
    if (!problems.isEmpty() || b == null) throw new ManifestException(problems);
    b.clock(clock);
    if (spec.user() != null) b.user(spec.user());
    Secret password = spec.password();
    if (password != null && !password.isEmpty()) b.password(password.reveal());
    if (spec.leaseTtl() != null) b.leaseTtl(spec.leaseTtl());
    return b.build();
  }

  private static ManifestProblem problem(String message) {
    return new ManifestProblem("config.yml", 0, 0, message);
  }
}

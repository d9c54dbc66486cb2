package dev.agentrt.store.postgres.internal;

import java.time.Clock;
import java.time.Duration;

/**
 * What the store was opened with, resolved.
 *
 * @param name the store's name in messages (the JDBC URL without its query)
 * @param ownerId the owner this store's leases are taken under
 * @param leaseTtl how long a lease lasts without renewal
 * @param clock the clock of leases, status updates and pruning
 */
public record StoreConfig(String name, String ownerId, Duration leaseTtl, Clock clock) {}

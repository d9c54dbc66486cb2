package dev.agentrt.core.internal;

import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.util.concurrent.CompletableFuture;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/**
 * The Hibernate Validator instance, built once per JVM off the caller's thread: building the
 * factory costs hundreds of milliseconds cold, so it starts as soon as a runtime is being built and
 * runs while the YAML is read. {@link ParameterMessageInterpolator} avoids an EL implementation,
 * and XML configuration is skipped.
 */
final class Validators {
  private static volatile CompletableFuture<Validator> validator;

  private Validators() {}

  /** Starts building the validator in the background, if not started yet. */
  static void prewarm() {
    if (validator == null) {
      synchronized (Validators.class) {
        if (validator == null) {
          CompletableFuture<Validator> f = new CompletableFuture<>();
          Thread t =
              new Thread(
                  () -> {
                    try {
                      f.complete(build());
                    } catch (Throwable e) {
                      f.completeExceptionally(e);
                    }
                  },
                  "agentrt-validator-init");
          t.setDaemon(true);
          t.start();
          validator = f;
        }
      }
    }
  }

  static Validator get() {
    prewarm();
    return validator.join();
  }

  private static Validator build() {
    ValidatorFactory factory =
        jakarta.validation.Validation.byProvider(HibernateValidator.class)
            .configure()
            .ignoreXmlConfiguration()
            .messageInterpolator(new ParameterMessageInterpolator())
            .buildValidatorFactory();
    return factory.getValidator();
  }
}

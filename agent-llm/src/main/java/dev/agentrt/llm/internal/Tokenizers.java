package dev.agentrt.llm.internal;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import dev.agentrt.llm.spi.TokenCounter;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** jtokkit's encodings as {@link TokenCounter}s, chosen by model family. */
public final class Tokenizers {
  /** Loaded on first use (an encoding's vocabulary takes a moment to read); thread-safe. */
  private static final class Registry {
    static final EncodingRegistry INSTANCE = Encodings.newLazyEncodingRegistry();
  }

  /** Name prefixes of OpenAI models tokenized with {@code o200k_base}. */
  private static final List<String> O200K =
      List.of("gpt-4o", "chatgpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5", "o1", "o3", "o4");

  private Tokenizers() {}

  /** See {@link TokenCounter#forModel}. */
  public static TokenCounter forModel(@Nullable String model) {
    return of(encodingType(model));
  }

  /** The encoding {@link #forModel} uses for {@code model}. */
  static EncodingType encodingType(@Nullable String model) {
    if (model == null) return EncodingType.CL100K_BASE;
    String m = model.toLowerCase(Locale.ROOT);
    int slash = m.lastIndexOf('/');
    if (slash >= 0) m = m.substring(slash + 1); // "openai/gpt-4o" from a gateway
    for (String p : O200K) {
      if (m.equals(p) || m.startsWith(p + "-") || m.startsWith(p + "."))
        return EncodingType.O200K_BASE;
    }
    return EncodingType.CL100K_BASE;
  }

  /** A counter over one jtokkit encoding. */
  public static TokenCounter of(EncodingType type) {
    Encoding e = Registry.INSTANCE.getEncoding(type);
    String name = type.getName();
    return new TokenCounter() {
      @Override
      public int count(String text) {
        return text.isEmpty() ? 0 : e.countTokensOrdinary(text);
      }

      @Override
      public String encoding() {
        return name;
      }

      @Override
      public String toString() {
        return "TokenCounter[" + name + "]";
      }
    };
  }
}

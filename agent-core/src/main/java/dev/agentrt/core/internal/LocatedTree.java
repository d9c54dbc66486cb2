package dev.agentrt.core.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.StringReader;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * A YAML document read into a JSON tree, with the line and column of every value indexed by its
 * JSON pointer, so that any later error can point into the file.
 */
public final class LocatedTree {
  /** The most values that alias copies may add to one document. */
  static final long MAX_ALIAS_VALUES = 100_000;

  /** The document's value, null for an empty document. */
  public final @Nullable JsonNode root;

  private final Map<String, int[]> locations;
  private final Map<String, int[]> keyLocations;

  private LocatedTree(
      @Nullable JsonNode root, Map<String, int[]> locations, Map<String, int[]> keyLocations) {
    this.root = root;
    this.locations = locations;
    this.keyLocations = keyLocations;
  }

  /**
   * The line and column of the key whose value is at {@code pointer} (for a misspelt or duplicate
   * key), or {@link #locate} of the pointer if it is not a mapping's key.
   */
  public int[] locateKey(String pointer) {
    int[] loc = keyLocations.get(pointer);
    return loc != null ? loc : locate(pointer);
  }

  /** The line and column of the value at {@code pointer}, or of its nearest located ancestor. */
  public int[] locate(String pointer) {
    String p = pointer;
    while (true) {
      int[] loc = locations.get(p);
      if (loc != null) return loc;
      if (p.isEmpty()) return new int[] {1, 1};
      p = p.substring(0, p.lastIndexOf('/'));
    }
  }

  /** Whether the file has a value at exactly {@code pointer}. */
  boolean has(String pointer) {
    return locations.containsKey(pointer);
  }

  /**
   * Reads {@code text}. Duplicate keys are reported to {@code duplicates} as pointers and the later
   * value wins.
   *
   * @throws YamlSyntaxException with line and column if the YAML is malformed
   */
  public static LocatedTree read(String text, List<String> duplicates) {
    Map<String, int[]> locations = new HashMap<>();
    Map<String, int[]> keyLocations = new HashMap<>();
    try (JsonParser p = ANCHORS.open(text)) {
      JsonToken first = p.nextToken();
      if (first == null) return new LocatedTree(null, locations, keyLocations);
      JsonNode root = new Reader(p, locations, keyLocations, duplicates).readValue("");
      return new LocatedTree(root, locations, keyLocations);
    } catch (JsonProcessingException e) {
      if (e.getCause() instanceof MarkedYAMLException m
          && m.getProblemMark() != null
          && m.getProblem() != null) {
        // snakeyaml's own parts: the problem at its mark, and what was being parsed where
        String context =
            m.getContext() == null || m.getContextMark() == null
                ? ""
                : " ("
                    + m.getContext()
                    + " that starts at line "
                    + (m.getContextMark().getLine() + 1)
                    + ", column "
                    + (m.getContextMark().getColumn() + 1)
                    + ")";
        throw new YamlSyntaxException(
            m.getProblemMark().getLine() + 1,
            m.getProblemMark().getColumn() + 1,
            m.getProblem().replace('\n', ' ').trim() + context);
      }
      JsonLocation loc = e.getLocation();
      String msg = e.getOriginalMessage();
      int cut = msg.indexOf("\n at [Source");
      if (cut >= 0) msg = msg.substring(0, cut);
      throw new YamlSyntaxException(
          loc == null ? 1 : loc.getLineNr(),
          loc == null ? 1 : loc.getColumnNr(),
          msg.replace('\n', ' ').trim());
    } catch (IOException e) {
      throw new YamlSyntaxException(1, 1, e.getMessage() == null ? e.toString() : e.getMessage());
    }
  }

  static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  /**
   * Builds the tree from the parser's tokens. An alias ({@code *name}) becomes a copy of the value
   * anchored with {@code &name} earlier in the document, located at the alias; the copies of one
   * document may hold at most {@link #MAX_ALIAS_VALUES} values in all, so that a document of nested
   * aliases (billion laughs) is refused at the alias that would cross the limit instead of filling
   * the memory.
   */
  private static final class Reader {
    private final JsonParser p;
    private final @Nullable AnchorParser yaml;
    private final Map<String, int[]> locations;
    private final Map<String, int[]> keyLocations;
    private final List<String> duplicates;
    private final Map<String, Anchored> anchors = new HashMap<>();
    private long values;
    private long copied;

    private record Anchored(JsonNode value, long size) {}

    Reader(
        JsonParser p,
        Map<String, int[]> locations,
        Map<String, int[]> keyLocations,
        List<String> duplicates) {
      this.p = p;
      this.yaml = p instanceof AnchorParser y ? y : null;
      this.locations = locations;
      this.keyLocations = keyLocations;
      this.duplicates = duplicates;
    }

    JsonNode readValue(String pointer) throws IOException {
      JsonLocation loc = p.currentTokenLocation();
      locations.put(pointer, new int[] {loc.getLineNr(), loc.getColumnNr()});
      if (yaml != null && yaml.isCurrentAlias()) return alias(p.getText(), loc);
      String anchor = yaml == null ? null : yaml.anchor();
      long before = values;
      JsonNode value = readPlain(pointer);
      if (anchor != null) anchors.put(anchor, new Anchored(value, values - before));
      return value;
    }

    private JsonNode alias(String name, JsonLocation loc) {
      Anchored a = anchors.get(name);
      if (a == null) {
        throw new YamlSyntaxException(
            loc.getLineNr(),
            loc.getColumnNr(),
            "alias '*"
                + name
                + "' refers to no anchor"
                + " defined before it (define '&"
                + name
                + "' on an earlier value)");
      }
      if (copied + a.size() > MAX_ALIAS_VALUES) {
        throw new YamlSyntaxException(
            loc.getLineNr(),
            loc.getColumnNr(),
            "aliases expand to more than "
                + MAX_ALIAS_VALUES
                + " values (write the values out, or use fewer aliases)");
      }
      copied += a.size();
      values += a.size();
      return a.value().deepCopy();
    }

    private JsonNode readPlain(String pointer) throws IOException {
      values++;
      JsonToken t = p.currentToken();
      switch (t) {
        case START_OBJECT:
          {
            ObjectNode o = Json.NODES.objectNode();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String name = p.currentName();
              String child = pointer + "/" + escape(name);
              JsonLocation keyLoc = p.currentTokenLocation();
              keyLocations.put(child, new int[] {keyLoc.getLineNr(), keyLoc.getColumnNr()});
              p.nextToken();
              JsonNode value = readValue(child);
              if (o.has(name)) duplicates.add(child);
              o.set(name, value);
            }
            return o;
          }
        case START_ARRAY:
          {
            ArrayNode a = Json.NODES.arrayNode();
            int i = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
              a.add(readValue(pointer + "/" + i++));
            }
            return a;
          }
        case VALUE_STRING:
          return Json.NODES.textNode(p.getText());
        case VALUE_NUMBER_INT:
          switch (p.getNumberType()) {
            case INT:
              return Json.NODES.numberNode(p.getIntValue());
            case LONG:
              return Json.NODES.numberNode(p.getLongValue());
            default:
              return Json.NODES.numberNode(p.getBigIntegerValue());
          }
        case VALUE_NUMBER_FLOAT:
          return Json.NODES.numberNode(p.getDoubleValue());
        case VALUE_TRUE:
        case VALUE_FALSE:
          {
            // YAML 1.2 core schema: only true/false are booleans; yes/no/on/off stay strings, so
            // that
            // `when: yes` matches a route value "yes"
            String raw = p.getText();
            if (raw != null && !raw.equalsIgnoreCase("true") && !raw.equalsIgnoreCase("false")) {
              return Json.NODES.textNode(raw);
            }
            return Json.NODES.booleanNode(t == JsonToken.VALUE_TRUE);
          }
        case VALUE_NULL:
          return Json.NODES.nullNode();
        default:
          // embedded objects (binary) are not part of our format
          return Json.NODES.textNode(p.getText());
      }
    }
  }

  /** A YAML factory whose parsers tell the anchor of every value, scalars included. */
  private static final AnchorFactory ANCHORS = new AnchorFactory();

  @SuppressWarnings("serial") // never serialized
  private static final class AnchorFactory extends YAMLFactory {
    @Override
    protected YAMLParser _createParser(java.io.Reader r, IOContext ctxt) throws IOException {
      return new AnchorParser(
          ctxt,
          _parserFeatures,
          _yamlParserFeatures,
          _objectCodec,
          r,
          new ParserImpl(new StreamReader(r), loaderOptions()));
    }

    /** A parser over {@code text} whose reader holds all of it at once (see {@link #widen}). */
    AnchorParser open(String text) {
      StringReader r = new StringReader(text);
      StreamReader stream = new StreamReader(r);
      widen(stream, text.length());
      IOContext ctxt = _createContext(_createContentReference(text), true);
      return new AnchorParser(
          ctxt,
          _parserFeatures,
          _yamlParserFeatures,
          _objectCodec,
          r,
          new ParserImpl(stream, loaderOptions()));
    }

    private LoaderOptions loaderOptions() {
      return _loaderOptions != null ? _loaderOptions : new LoaderOptions();
    }
  }

  private static final @Nullable Field STREAM_BUFFER = streamBuffer();

  private static @Nullable Field streamBuffer() {
    try {
      Field f = StreamReader.class.getDeclaredField("buffer");
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /**
   * snakeyaml's {@link StreamReader} reads 1,024 characters at a time and, each time, copies every
   * character from the start of the token being scanned: reading one long scalar costs the square
   * of its length (a 4 MB string took seconds). Giving it a buffer as large as the text makes it
   * read everything in one go, and the scan linear. If the field cannot be set (another snakeyaml
   * version), the file size limit still bounds the cost.
   */
  private static void widen(StreamReader stream, int chars) {
    if (STREAM_BUFFER == null) return;
    try {
      STREAM_BUFFER.set(stream, new char[chars + 1]);
    } catch (IllegalAccessException | RuntimeException e) {
      // keep snakeyaml's own buffer
    }
  }

  /**
   * {@link YAMLParser#getObjectId()} gives the anchors of mappings and lists only; this one also
   * gives scalars'.
   */
  private static final class AnchorParser extends YAMLParser {
    AnchorParser(
        IOContext ctxt,
        int parserFeatures,
        int formatFeatures,
        ObjectCodec codec,
        java.io.Reader reader,
        ParserImpl events) {
      super(ctxt, parserFeatures, formatFeatures, codec, reader, events);
    }

    /** The anchor ({@code &name}) of the current value, or null. Not for an alias. */
    @Nullable String anchor() {
      return _lastEvent instanceof NodeEvent e ? e.getAnchor() : null;
    }
  }

  /** Malformed YAML. */
  public static final class YamlSyntaxException extends RuntimeException {
    /** Where the problem is, from 1. */
    public final int line;

    /** Where the problem is, from 1. */
    public final int column;

    YamlSyntaxException(int line, int column, String message) {
      super(message);
      this.line = line;
      this.column = column;
    }
  }

  /** All pointers that have a location, for tests. */
  List<String> pointers() {
    return new ArrayList<>(locations.keySet());
  }
}

package dev.lifeguard.benchmarks;

import com.google.errorprone.BugPattern;
import com.google.errorprone.bugpatterns.BugChecker;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The names of Lifeguard's checks, found the way Error Prone finds them: the {@link BugChecker} services of the
 * checker jar. A check added to {@code dev.lifeguard.checker} is benchmarked with no change here.
 */
public final class LifeguardChecks {
  private static final String PACKAGE = "dev.lifeguard.checker.";

  private LifeguardChecks() {}

  /** Every Lifeguard check name, sorted. */
  public static List<String> names() {
    List<String> out = new ArrayList<>();
    for (ServiceLoader.Provider<BugChecker> p : ServiceLoader.load(BugChecker.class).stream().toList()) {
      Class<? extends BugChecker> type = p.type();
      if (!type.getName().startsWith(PACKAGE)) {
        continue;
      }
      BugPattern pattern = type.getAnnotation(BugPattern.class);
      out.add(pattern != null && !pattern.name().isEmpty() ? pattern.name() : type.getSimpleName());
    }
    out.sort(null);
    if (out.isEmpty()) {
      throw new IllegalStateException("no Lifeguard BugChecker on the class path");
    }
    return out;
  }

  /** The Error Prone option that turns every other check off and every Lifeguard check on at {@code severity}. */
  public static String plugin(String severity) {
    StringBuilder sb = new StringBuilder("-Xplugin:ErrorProne -XepDisableAllChecks");
    for (String n : names()) {
      sb.append(" -Xep:").append(n).append(':').append(severity);
    }
    return sb.toString();
  }
}

package dev.lifeguard.runtime.scenario;

import dev.lifeguard.runtime.core.Violation;
import dev.lifeguard.runtime.core.ViolationKind;
import java.util.List;

/**
 * What a {@link Scenario} saw: every violation recorded while it ran, including the leak check of {@link
 * Scenario#end()}, and the printed story.
 *
 * <pre>{@code
 * ScenarioResult r = s.end();
 * assertThat(r.has(ViolationKind.LEAK)).isTrue();
 * r.assertClean();   // throws AssertionError with the full story
 * }</pre>
 */
public final class ScenarioResult {
  private final String title;
  private final List<Violation> violations;
  private final String story;

  ScenarioResult(String title, List<Violation> violations, String story) {
    this.title = title;
    this.violations = List.copyOf(violations);
    this.story = story;
  }

  /** The scenario's title. */
  public String title() {
    return title;
  }

  /** Every violation, in order. */
  public List<Violation> violations() {
    return violations;
  }

  /** Whether a violation of {@code kind} was seen. */
  public boolean has(ViolationKind kind) {
    return count(kind) > 0;
  }

  /** How many violations of {@code kind} were seen. */
  public long count(ViolationKind kind) {
    return violations.stream().filter(v -> v.kind() == kind).count();
  }

  /** The printed story: steps and violations in order. */
  public String report() {
    return story;
  }

  /** Throws {@link AssertionError} with the full story unless no violation was seen. */
  public void assertClean() {
    if (!violations.isEmpty()) {
      throw new AssertionError("scenario \"" + title + "\" had " + violations.size() + " violation(s):\n" + story);
    }
  }
}

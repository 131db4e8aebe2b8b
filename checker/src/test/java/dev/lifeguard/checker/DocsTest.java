package dev.lifeguard.checker;

import static com.google.common.truth.Truth.assertThat;

import com.google.errorprone.BugPattern;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every check has a doc page with the fixed sections, and its link points at it. */
final class DocsTest {
  private static final List<Class<?>> CHECKS = List.of(
      DrmObjectInDevres.class, UnguardedDevresAccess.class, SectionDiscipline.class, ReleaseOrdering.class,
      WrongWayLifetime.class, ModuleLifetime.class, DevresOnUnboundDevice.class, DmaBufChain.class);

  /** {@code Findings.suppresses} answers without Error Prone for declarations with none of the usual annotations. */
  @Test
  void suppressionIsOnlyBySuppressWarnings() {
    for (Class<?> check : CHECKS) {
      assertThat(check.getAnnotation(BugPattern.class).suppressionAnnotations()).asList()
          .containsExactly(SuppressWarnings.class);
    }
  }

  @Test
  void everyCheckHasItsPage() throws Exception {
    for (Class<?> check : CHECKS) {
      String name = check.getSimpleName();
      BugPattern p = check.getAnnotation(BugPattern.class);
      assertThat(p.link()).endsWith("docs/checks/" + name + ".md");
      Path page = Path.of("..", "docs", "checks", name + ".md");
      assertThat(Files.exists(page)).isTrue();
      String text = Files.readString(page);
      for (String section :
          List.of("## The problem", "## Bad", "## Good", "## Fix", "## Flags", "## Suppression", "## Limitations",
              "## Related")) {
        assertThat(text).contains(section);
      }
    }
  }
}

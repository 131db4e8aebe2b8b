package dev.lifeguard.samples;

import static com.google.common.truth.Truth.assertThat;

import dev.lifeguard.runtime.scenario.ScenarioResult;
import dev.lifeguard.samples.gpu.GpuScenarios;
import dev.lifeguard.samples.panel.PanelScenarios;
import dev.lifeguard.samples.vgem.VgemScenarios;
import dev.lifeguard.samples.vkms.VkmsScenarios;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every public scenario of every sample driver, found by reflection so a new one cannot be forgotten: each driver
 * has at least the three lifecycle stories, and every story ends clean.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AllScenariosTest {
  private static final List<Class<?>> DRIVERS =
      List.of(PanelScenarios.class, GpuScenarios.class, VkmsScenarios.class, VgemScenarios.class);

  private static List<Method> scenarios(Class<?> type) {
    List<Method> out = new ArrayList<>();
    for (Method m : type.getDeclaredMethods()) {
      if (Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers())
          && m.getReturnType() == ScenarioResult.class && m.getParameterCount() == 0) {
        out.add(m);
      }
    }
    out.sort(Comparator.comparing(Method::getName));
    return out;
  }

  @Test
  void everyDriverTellsTheThreeLifecycleStories() {
    for (Class<?> driver : DRIVERS) {
      List<String> names = scenarios(driver).stream().map(Method::getName).toList();
      assertThat(names).contains("unplugWithOpenFd");
      assertThat(names).contains("unbindAndRebind");
      assertThat(names.stream().anyMatch(n -> n.startsWith("moduleUnload"))).isTrue();
    }
  }

  @Test
  void everyScenarioOfEveryDriverEndsClean() throws Exception {
    int ran = 0;
    for (Class<?> driver : DRIVERS) {
      for (Method m : scenarios(driver)) {
        ScenarioResult r = (ScenarioResult) m.invoke(null);
        r.assertClean();
        assertThat(r.report()).contains("== clean: " + r.title());
        ran++;
      }
    }
    assertThat(ran).isAtLeast(DRIVERS.size() * 3);
  }

  @Test
  void scenariosDoNotDependOnEachOther() throws Exception {
    // The same story twice in a row, and interleaved with another driver's, tells the same thing.
    List<Method> order = new ArrayList<>(scenarios(GpuScenarios.class));
    order.addAll(scenarios(VgemScenarios.class));
    order.addAll(scenarios(GpuScenarios.class));
    for (Method m : order) {
      ((ScenarioResult) m.invoke(null)).assertClean();
    }
  }
}

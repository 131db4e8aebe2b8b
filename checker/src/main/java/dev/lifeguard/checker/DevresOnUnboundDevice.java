package dev.lifeguard.checker;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.ERROR;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.tools.javac.code.Symbol;
import dev.lifeguard.checker.analysis.AnalysisResult;
import dev.lifeguard.checker.analysis.Event.Call;
import dev.lifeguard.checker.analysis.Event.DevresOn;
import dev.lifeguard.checker.analysis.Vocabulary;
import java.util.HashSet;
import java.util.Set;
import javax.inject.Inject;

/**
 * A {@link BugChecker} for devres on a device with no driver bound (rule R6): a device registered by hand
 * ({@code @Driverless}) gets devres (an allocator, an action, the devm drm device) while no devres group
 * ({@code @OpensGroup}) is open on it in the same method. Its devres runs only at its final put, which the drm
 * device's reference on its parent prevents: a loop and a leak.
 *
 * <pre>{@code
 * Device vdev = Device.registerVirtual("vgem");
 * Vgem vgem = Devm.drmDevAlloc(vdev, drv, Vgem::new);   // no driver, no group: a reference loop
 * }</pre>
 */
@AutoService(BugChecker.class)
@BugPattern(
    summary = "devres on a device with no bound driver and no devres group: a reference loop and a leak",
    severity = ERROR,
    link = Findings.DOCS + "DevresOnUnboundDevice.md",
    linkType = CUSTOM)
public final class DevresOnUnboundDevice extends AnalysisCheck {

  @Inject
  public DevresOnUnboundDevice() {}

  @Override
  void report(AnalysisResult result, VisitorState state) {
    // Devices a devres group is opened on anywhere in this method (and its lambdas).
    Set<Symbol> grouped = new HashSet<>();
    for (Call c : result.events(Call.class)) {
      if (Vocabulary.has(c.method(), Vocabulary.OPENS_GROUP) && c.tree() instanceof MethodInvocationTree mit
          && !mit.getArguments().isEmpty()) {
        Symbol dev = ASTHelpers.getSymbol(mit.getArguments().get(0));
        if (dev != null) {
          grouped.add(dev);
        }
      }
    }
    for (DevresOn d : result.events(DevresOn.class)) {
      if (d.ownerValue().driverless() == null || grouped.contains(ASTHelpers.getSymbol(d.owner()))
          || Findings.suppressed(this, state, d.tree())) {
        continue;
      }
      String dev = Findings.src(state, d.owner());
      state.reportMatch(buildDescription(d.tree())
          .setMessage("`" + Findings.src(state, d.tree()) + "` registers devres on `" + dev + "`, which comes from "
              + d.ownerValue().driverless().text() + " (@Driverless: registered by hand, no driver bound), and no"
              + " devres group is open on it here: devres of a device without a driver runs only at its final put,"
              + " but what devres holds (the devm drm device holds a reference on its parent) keeps that put from"
              + " happening, so neither is ever freed (a reference loop and a leak); use a faux device"
              + " (FauxDevice.create: its driver is bound, so destroying it runs devres), or open a devres group"
              + " on `" + dev + "` first (Devres.openGroup) and release it explicitly before unregistering")
          .build());
    }
  }
}

package dev.lifeguard.samples;

import dev.lifeguard.runtime.scenario.Scenario;
import java.util.ArrayList;
import java.util.List;

/**
 * A driver's kernel log ({@code drm_info}/{@code dev_info} lines): drivers log what they did, scenarios print the
 * new lines into their story and tests assert on them.
 *
 * <pre>{@code
 * dmesg.log("usbpanel: release hook");
 * dmesg.drainTo(scenario);   // prints "dmesg: usbpanel: release hook"
 * }</pre>
 */
public final class Dmesg {
  private final List<String> lines = new ArrayList<>();
  private int printed;

  /** Appends a line. */
  public synchronized void log(String line) {
    lines.add(line);
  }

  /** Every line so far, oldest first. */
  public synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  /** Whether a line contains {@code text}. */
  public synchronized boolean contains(String text) {
    return lines.stream().anyMatch(l -> l.contains(text));
  }

  /** How many lines contain {@code text}. */
  public synchronized long count(String text) {
    return lines.stream().filter(l -> l.contains(text)).count();
  }

  /** Prints the lines logged since the last drain as notes of {@code s}. */
  public void drainTo(Scenario s) {
    List<String> fresh;
    synchronized (this) {
      fresh = new ArrayList<>(lines.subList(printed, lines.size()));
      printed = lines.size();
    }
    for (String l : fresh) {
      s.note("dmesg: " + l);
    }
  }
}

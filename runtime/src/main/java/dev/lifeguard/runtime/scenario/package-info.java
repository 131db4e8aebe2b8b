/** Hot-unplug lifecycle scenarios: a step-by-step, printed story ending in a leak check. */
package dev.lifeguard.runtime.scenario;

/**
 * The driver core: buses, devices, drivers, devres ({@code devm_*}) and the hardware resources it manages.
 */
package dev.lifeguard.runtime.bus;

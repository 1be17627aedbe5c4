package dev.newstape.flink.model;

import java.io.Serializable;

/** Signal thresholds (SignalThresholds in src-main/domain/news.ts). */
public record Thresholds(double z, double rvol, double zWithVolume) implements Serializable {
  public static final Thresholds DEFAULT = new Thresholds(3, 3, 2);
}

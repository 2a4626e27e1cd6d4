import * as vscode from 'vscode';
import type { EndpointCapabilities } from '../../common/endpoint/capabilities';
import { modelRules } from '../../common/endpoint/modelRules';
import type { ModelOverride } from '../../common/endpoint/profile';
import type { ImageBudget } from '../../common/images/imageBudget';
import { imagePolicy, type ImageGeometrySetting } from '../../common/images/imagePolicy';
import type { PanelImageConfig } from '../../common/panel/protocol';
import type { EndpointSettings } from '../endpoint/settings';

const key = (name: string) => `relayChat.images.${name}`;

/** The `relayChat.images.*` settings, checked against the manifest like every other setting. */
function values(settings: EndpointSettings): Record<string, unknown> {
  return settings.read().values;
}

/** How the panel sizes images for this model: the setting, then the profile's override, then the model's rule. */
export function panelImages(
  settings: EndpointSettings,
  model: string,
  caps: EndpointCapabilities | undefined,
  override: ModelOverride = {},
): PanelImageConfig {
  const v = values(settings);
  return {
    policy: imagePolicy(
      v[key('geometry')] as ImageGeometrySetting,
      override.imageGeometry ?? modelRules(model).imageGeometry,
      v[key('maxMegapixels')] as number,
    ),
    maxImageBytes: (v[key('maxImageKilobytes')] as number) * 1024,
    refusedFormats: caps?.downgrades.includes('image_webp') ? ['image/webp'] : [],
  };
}

export function imageBudget(settings: EndpointSettings): ImageBudget {
  const v = values(settings);
  return {
    resendTurns: v[key('resendTurns')] as number,
    maxRequestBytes: Math.round((v[key('maxRequestMegabytes')] as number) * 1024 * 1024),
  };
}

/**
 * What the user set for the model in the profile wins; then the endpoint check's finding; then what
 * the model family is known for.
 */
export function seesImages(
  model: string,
  caps: EndpointCapabilities | undefined,
  override: ModelOverride = {},
): boolean | undefined {
  return override.vision ?? caps?.vision ?? modelRules(model).vision;
}

/** The question Explain Image and Capture Screenshot put in the composer, and whether to send at once. */
export function explainPrompt(settings: EndpointSettings): { prompt: string; send: boolean } {
  const v = values(settings);
  const prompt = String(v[key('explainPrompt')] ?? '').trim();
  return { prompt: prompt || vscode.l10n.t('Explain this image.'), send: v[key('sendAtOnce')] === true };
}

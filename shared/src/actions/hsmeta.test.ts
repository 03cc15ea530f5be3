import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import pauseAi from '../../../hubspot-project/app/workflow-actions/pause-ai-hsmeta.json';
import requestHandoff from '../../../hubspot-project/app/workflow-actions/request-handoff-hsmeta.json';
import resumeAi from '../../../hubspot-project/app/workflow-actions/resume-ai-hsmeta.json';
import sendToAi from '../../../hubspot-project/app/workflow-actions/send-to-ai-hsmeta.json';
import { EXECUTION_RULE_LABEL_NAMES, WORKFLOW_ACTION_ERROR_CODES } from './outputs';
import { WORKFLOW_ACTIONS, WORKFLOW_ACTION_NAMES, type WorkflowActionName } from './registry';

// The hsmeta files are imported (not read from disk) so this test needs no I/O; the registry's `hsmetaFile`
// must name the same files.
const FILES = {
  'pause-ai': pauseAi,
  'resume-ai': resumeAi,
  'send-to-ai': sendToAi,
  'request-handoff': requestHandoff,
} satisfies Record<WorkflowActionName, unknown>;

const typeDefinition = z.object({
  name: z.string(),
  type: z.string(),
  options: z.array(z.object({ value: z.string(), label: z.string() })).optional(),
  referencedObjectType: z.string().optional(),
});
const hsmeta = z.object({
  uid: z.string(),
  type: z.literal('workflow-action'),
  config: z.object({
    actionUrl: z.string(),
    objectTypes: z.array(z.string()),
    inputFields: z.array(z.object({ typeDefinition, isRequired: z.boolean() })).default([]),
    outputFields: z.array(z.object({ typeDefinition, isRequired: z.never().optional() })).default([]),
    executionRules: z.array(z.object({ labelName: z.string(), conditions: z.record(z.string(), z.unknown()) })),
    labels: z.object({
      en: z.object({
        actionName: z.string(),
        inputFieldLabels: z.record(z.string(), z.string()).default({}),
        outputFieldLabels: z.record(z.string(), z.string()).default({}),
        executionRules: z.record(z.string(), z.string()),
      }),
    }),
  }),
});

/** A field as both sides can describe it: HubSpot's type family, required flag and enumeration options. */
interface FieldShape {
  name: string;
  kind: 'number' | 'string' | 'enumeration';
  required: boolean;
  options: string[] | null;
}

type JsonProp = { type?: string; enum?: string[] };
const fromZod = (schema: z.ZodObject, withRequired: boolean): FieldShape[] => {
  const json = z.toJSONSchema(schema, { io: 'output' }) as { properties: Record<string, JsonProp>; required?: string[] };
  return Object.entries(json.properties).map(([name, prop]) => ({
    name,
    kind: prop.enum ? 'enumeration' : prop.type === 'integer' || prop.type === 'number' ? 'number' : 'string',
    required: withRequired && (json.required ?? []).includes(name),
    options: prop.enum ? [...prop.enum].sort() : null,
  }));
};

type HsField = { typeDefinition: z.infer<typeof typeDefinition>; isRequired?: boolean };
const fromHsmeta = (fields: HsField[], withRequired: boolean): FieldShape[] =>
  fields.map(({ typeDefinition: t, isRequired }) => ({
    name: t.name,
    // A reference to HubSpot records (e.g. OWNER) is an enumeration HubSpot fills in; the value is an id string.
    kind: t.type === 'enumeration' && t.referencedObjectType ? 'string' : (t.type as FieldShape['kind']),
    required: withRequired && isRequired === true,
    options: t.options ? t.options.map((o) => o.value).sort() : null,
  }));

const byName = (fields: FieldShape[]) => [...fields].sort((a, b) => a.name.localeCompare(b.name));

describe.each(WORKFLOW_ACTION_NAMES)('%s-hsmeta.json agrees with the shared schemas', (name) => {
  const action = WORKFLOW_ACTIONS[name];
  const meta = hsmeta.parse(FILES[name]);
  const { config } = meta;

  it('has the registry uid, label, URL, object types and file name', () => {
    expect(meta.uid).toBe(action.uid);
    expect(config.labels.en.actionName).toBe(action.label);
    expect(config.actionUrl).toBe(`\${BACKEND_URL}${action.routePath}`);
    expect(config.objectTypes).toEqual([...action.objectTypes]);
    expect(action.hsmetaFile).toBe(`hubspot-project/app/workflow-actions/${name}-hsmeta.json`);
  });

  it('declares exactly the input fields of the schema, with the same required flags and options', () => {
    expect(byName(fromHsmeta(config.inputFields, true))).toEqual(byName(fromZod(action.inputSchema, true)));
  });

  it('declares exactly the output fields of the schema, with the same enumeration options', () => {
    expect(byName(fromHsmeta(config.outputFields, false))).toEqual(byName(fromZod(action.outputSchema, false)));
  });

  it('labels every input and output field', () => {
    expect(Object.keys(config.labels.en.inputFieldLabels).sort()).toEqual(config.inputFields.map((f) => f.typeDefinition.name).sort());
    expect(Object.keys(config.labels.en.outputFieldLabels).sort()).toEqual(config.outputFields.map((f) => f.typeDefinition.name).sort());
  });

  it('has one execution rule per error code, showing the shared message', () => {
    const expected = WORKFLOW_ACTION_ERROR_CODES.map((code) => ({
      labelName: EXECUTION_RULE_LABEL_NAMES[code],
      conditions: { errorCode: code },
    }));
    expect(config.executionRules).toEqual(expected);
    const messages = Object.fromEntries(
      WORKFLOW_ACTION_ERROR_CODES.map((code) => [EXECUTION_RULE_LABEL_NAMES[code], action.errorMessages[code]]),
    );
    expect(config.labels.en.executionRules).toEqual(messages);
  });
});

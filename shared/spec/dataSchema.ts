// The `data` block of a job document: data access beyond the cluster's primary storage (extra ADLS Gen2 accounts,
// S3A buckets), credentials by reference only. A JSON Schema 2020-12 part of jobSchema.ts.
import { LIMITS } from "./documentLimits";

export const dataSchema = {
  type: "object",
  additionalProperties: false,
  default: {},
  description: "Data access beyond the cluster's primary storage. Credentials by reference only.",
  properties: {
    adls: {
      type: "object",
      additionalProperties: false,
      required: ["accounts"],
      description: "Extra ADLS Gen2 accounts read with the cluster's managed identity.",
      properties: {
        accounts: {
          type: "array",
          minItems: 1,
          maxItems: 16,
          description: "Accounts (the identity needs Storage Blob Data Reader or better).",
          items: {
            type: "object",
            additionalProperties: false,
            required: ["name"],
            properties: {
              name: {
                type: "string",
                pattern: "^[a-z0-9]{3,24}$",
                "x-hint": "a storage account name (3-24 lowercase letters or digits)",
                description: "Storage account name.",
              },
              fileSystem: {
                type: "string",
                pattern: "^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$",
                "x-hint": "a container name",
                description: "Limit to one file system. Default: all.",
              },
            },
          },
        },
      },
    },
    s3a: {
      type: "object",
      additionalProperties: false,
      required: ["endpoint"],
      description: "S3-compatible storage read and written through Hadoop S3A (docs/job-spec.md, S3A).",
      properties: {
        endpoint: {
          type: "string",
          maxLength: LIMITS.uriLength,
          pattern: "^https://[A-Za-z0-9.-]+(:[0-9]{1,5})?/?$",
          "x-hint": "an https:// endpoint URL without path",
          description: "S3 endpoint URL.",
        },
        region: {
          type: "string",
          pattern: "^[a-z0-9-]{1,32}$",
          "x-hint": "a region name such as eu-west-1",
          description: "Signing region. Default: S3A's default.",
        },
        pathStyleAccess: {
          type: "boolean",
          default: false,
          description: "Path-style bucket addressing (most non-AWS S3 services). Default false.",
        },
        credentials: {
          enum: ["keys", "session", "anonymous", "assumedRole"],
          description:
            "keys = access/secret keys (+ session token when the secret has one); session = session credentials (token required); anonymous = public buckets, no secret; assumedRole = STS AssumeRole of assumedRole.roleArn with the secret's keys. Default keys.",
        },
        credentialsSecret: {
          type: "string",
          pattern: "^[0-9A-Za-z-]{1,127}$",
          "x-hint": "a Key Vault secret name (letters, digits, -)",
          description: "Secret holding {accessKey, secretKey[, sessionToken]}. Required unless credentials is anonymous.",
        },
        assumedRole: {
          type: "object",
          additionalProperties: false,
          required: ["roleArn"],
          description: "The role to assume (credentials = assumedRole only).",
          properties: {
            roleArn: {
              type: "string",
              pattern: "^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\w+=,.@/-]{1,512}$",
              "x-hint": "an IAM role ARN such as arn:aws:iam::123456789012:role/reader",
              description: "ARN of the IAM role.",
            },
            sessionName: {
              type: "string",
              pattern: "^[\\w+=,.@-]{2,64}$",
              "x-hint": "2-64 letters, digits or _ + = , . @ -",
              description: "STS role session name. Default: S3A's generated name.",
            },
            sessionDurationMinutes: {
              type: "integer",
              minimum: 15,
              maximum: 720,
              description: "Session length in minutes (15-720). Default: S3A's (60).",
            },
            stsEndpoint: {
              type: "string",
              maxLength: LIMITS.uriLength,
              pattern: "^https://[A-Za-z0-9.-]+(:[0-9]{1,5})?/?$",
              "x-hint": "an https:// STS endpoint URL",
              description: "STS endpoint. Default: the global endpoint.",
            },
            stsRegion: {
              type: "string",
              pattern: "^[a-z0-9-]{1,32}$",
              "x-hint": "a region name such as eu-west-1",
              description: "Signing region of stsEndpoint.",
            },
          },
        },
        buckets: {
          type: "array",
          maxItems: 64,
          uniqueItems: true,
          default: [],
          items: { type: "string", pattern: "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", "x-hint": "an S3 bucket name" },
          description: "Buckets the credentials apply to; every s3a:// path must use one of them. Default [] = all buckets.",
        },
      },
    },
  },
} as const;
